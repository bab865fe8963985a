using SfCompanion.Rules;

namespace SfCompanion.Rotation;

/// <summary>What a run (or a preview) did: assignments, recycles, parks, per-rep counts, skipped reps and suspects, problems.</summary>
public sealed record RotationRunResult
{
    public string Pool { get; init; } = "";

    /// <summary>ok, preview, failed or idle (nothing to assign, or nobody to assign to).</summary>
    public string Status { get; init; } = "ok";

    public IReadOnlyList<PlannedAssignment> Assignments { get; init; } = [];

    public int Assigned { get; init; }

    public int Recycled { get; init; }

    public int Parked { get; init; }

    public int Worked { get; init; }

    /// <summary>Open tasks of a departing rep moved with their suspects (reassignment).</summary>
    public int TasksMoved { get; init; }

    /// <summary>Suspects of the flow outside the pool's segment.</summary>
    public int OutOfSegment { get; init; }

    /// <summary>Suspects deleted in Salesforce since scoring: skipped (and logged).</summary>
    public IReadOnlyList<string> SkippedDeleted { get; init; } = [];

    /// <summary>Suspects left in the flow for the next run (no rep available, caps reached, or the run's limit).</summary>
    public int Left { get; init; }

    public IReadOnlyDictionary<string, int> PerRep { get; init; } = new Dictionary<string, int>();

    public IReadOnlyList<SkippedRep> SkippedReps { get; init; } = [];

    /// <summary>Why nothing (or not everything) was assigned, when so.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<RuleProblem> Problems { get; init; } = [];
}
