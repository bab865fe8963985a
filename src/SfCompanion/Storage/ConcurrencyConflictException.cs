namespace SfCompanion.Storage;

/// <summary>A conditional write found a different version than expected.</summary>
public sealed class ConcurrencyConflictException(string kind, string key, long? expected, long actual)
    : Exception($"Document {kind}/{key} is at version {actual}, expected {(expected is null ? "any" : expected.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}.")
{
    public string Kind { get; } = kind;

    public string Key { get; } = key;

    public long? ExpectedVersion { get; } = expected;

    /// <summary>The stored version (0 when the document does not exist).</summary>
    public long ActualVersion { get; } = actual;
}
