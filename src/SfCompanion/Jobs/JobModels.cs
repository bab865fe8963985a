namespace SfCompanion.Jobs;

/// <summary>A job as registered in code: its name, type and default schedule.</summary>
public sealed record JobDefinition(string Name, Type JobType, string DefaultCron, string DefaultTimeZone, string? Description);

/// <summary>A job's effective schedule (store kind <c>job-schedule</c>, written only once edited; otherwise the registration's defaults).</summary>
public sealed record JobSchedule
{
    public required string Job { get; init; }

    /// <summary>Quartz cron expression (seconds first), e.g. <c>0 */15 * * * ?</c>.</summary>
    public required string Cron { get; init; }

    /// <summary>IANA time zone the cron is read in, e.g. <c>Europe/Paris</c>.</summary>
    public required string TimeZone { get; init; }

    public bool Paused { get; init; }

    /// <summary>Null while the registration's defaults apply.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

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
