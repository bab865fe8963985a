namespace SfCompanion.Jobs;

/// <summary>Per-job bookkeeping shared by replicas (store kind <c>job-state</c>).</summary>
public sealed record JobState
{
    public required string Job { get; init; }

    /// <summary>The latest fire time of the schedule that was handled (run, skipped or caught up). Missed runs are counted from here.</summary>
    public DateTimeOffset? LastScheduledFireAt { get; init; }

    /// <summary>A run requested through the API, waiting for a worker to pick it up.</summary>
    public string? QueuedRunId { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public string? RunningRunId { get; init; }

    public string? LastRunId { get; init; }
}
