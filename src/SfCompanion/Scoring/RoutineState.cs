namespace SfCompanion.Scoring;

/// <summary>A routine's memory of each record in its market: tag, score, when it last matched, when a rep last saw it.</summary>
public sealed record RoutineState
{
    public Dictionary<string, RecordState> Records { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LastRunAt { get; init; }

    public RoutineRunResult? LastRun { get; init; }
}
