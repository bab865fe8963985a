namespace SfCompanion.Rotation;

/// <summary>
/// A pool's persisted standing (document <c>rotation-state/{pool}</c>, written with optimistic concurrency): the
/// round robin's credits, today's assignment counts and the open assignments.
/// </summary>
public sealed record RotationState
{
    /// <summary>Smooth weighted round robin credits per rep: kept across runs and restarts so shares stay fair over time.</summary>
    public Dictionary<string, double> Credits { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The pool's local date the daily counts are for.</summary>
    public DateOnly Day { get; init; }

    public Dictionary<string, int> AssignedToday { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Assigned suspects not yet worked, by record id.</summary>
    public Dictionary<string, RotationAssignment> Open { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LastRunAt { get; init; }
}
