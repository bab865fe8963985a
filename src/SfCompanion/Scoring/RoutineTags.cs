namespace SfCompanion.Scoring;

/// <summary>Lifecycle formulas; suspect = in the market and neither client nor prospect.</summary>
public sealed record RoutineTags
{
    public string? Client { get; init; }

    public string? Prospect { get; init; }
}
