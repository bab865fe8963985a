namespace SfCompanion.Jobs;

/// <summary>One run of a job (store kind <c>job-run</c>, key = id; ids sort newest first within a job).</summary>
public sealed record JobRun
{
    public required string Id { get; init; }

    public required string Job { get; init; }

    /// <summary>One of <see cref="JobTriggers"/>.</summary>
    public required string Trigger { get; init; }

    /// <summary>One of <see cref="JobRunStatus"/>.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? ScheduledFireAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public long Done { get; init; }

    public long? Total { get; init; }

    public string? Stage { get; init; }

    public long ApiCalls { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Why the run was skipped, abandoned or failed, in one sentence.</summary>
    public string? Message { get; init; }

    /// <summary>The lease owner (process instance) that ran it.</summary>
    public string? Owner { get; init; }
}
