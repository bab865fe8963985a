namespace SfCompanion.Tracking;

/// <summary>Validation problems of a link registration, by field.</summary>
public sealed class LinkValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.Values.SelectMany(v => v)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
