namespace SfCompanion.Tracking;

/// <summary>Counts of one link's anonymous clicks (no valid token), by reason.</summary>
public sealed record AnonymousCounts
{
    public long Total { get; init; }

    public Dictionary<string, long> Flagged { get; init; } = new(StringComparer.Ordinal);
}
