namespace SfCompanion.Scoring;

/// <summary>What one routine's run did.</summary>
public sealed record RoutineRunResult
{
    public required string Routine { get; init; }

    public int Version { get; init; }

    /// <summary><c>ok</c>, <c>dry-run</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    public int Records { get; init; }

    public int InMarket { get; init; }

    public IReadOnlyDictionary<string, int> Tags { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<BandCount> Bands { get; init; } = [];

    public int Transitions { get; init; }

    /// <summary>Suspects that matched since a rep last saw them.</summary>
    public int InFlow { get; init; }

    public int ValuesQueued { get; init; }

    public long RecordErrors { get; init; }

    public double Seconds { get; init; }

    public IReadOnlyList<Rules.RuleProblem> Problems { get; init; } = [];
}
