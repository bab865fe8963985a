namespace SfCompanion.Scoring;

/// <summary>What a draft routine would give on the whole mirror.</summary>
public sealed record RoutinePreview
{
    public int Records { get; init; }

    public int InMarket { get; init; }

    public int? SavedInMarket { get; init; }

    public IReadOnlyList<BandCount> Bands { get; init; } = [];

    public IReadOnlyDictionary<string, int> Tags { get; init; } = new Dictionary<string, int>();

    /// <summary>Records that would be suspects and are not under the saved routine.</summary>
    public int SuspectsGained { get; init; }

    public int SuspectsLost { get; init; }

    public long RecordErrors { get; init; }

    public IReadOnlyList<ScoredSample> Samples { get; init; } = [];

    public double Milliseconds { get; init; }
}
