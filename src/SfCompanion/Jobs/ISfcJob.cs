namespace SfCompanion.Jobs;

/// <summary>
/// A scheduled capability job. Keep it thin: call the capability's service (which tests call directly) and report
/// progress through the context. Register with <see cref="JobsExtensions.AddSfcJob{TJob}"/>; resolved in a DI scope per run.
/// </summary>
public interface ISfcJob
{
    /// <summary>Runs once. The token is signalled on shutdown or when the run's lease is lost: stop promptly and let
    /// <see cref="OperationCanceledException"/> propagate (the run is then recorded as Cancelled with its progress).
    /// Any other exception records the run as Failed with the error.</summary>
    Task RunAsync(JobRunContext context, CancellationToken cancellationToken);
}

/// <summary>What started a run.</summary>
public static class JobTriggers
{
    /// <summary>The job's cron schedule fired.</summary>
    public const string Schedule = "schedule";

    /// <summary>Somebody asked for it (POST /api/jobs/{name}/run).</summary>
    public const string Manual = "manual";

    /// <summary>One run at start for fire times missed while no worker was running.</summary>
    public const string CatchUp = "catch-up";
}

/// <summary>Run states. Terminal: Succeeded, Failed, Cancelled, Skipped, Abandoned.</summary>
public static class JobRunStatus
{
    /// <summary>Requested through the API, waiting for a worker.</summary>
    public const string Queued = "Queued";

    public const string Running = "Running";

    public const string Succeeded = "Succeeded";

    public const string Failed = "Failed";

    /// <summary>Stopped by shutdown (or by losing its lease) before it finished.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>Not run: another run of the same job held the lease.</summary>
    public const string Skipped = "Skipped";

    /// <summary>Found Running at start with its lease expired: the process running it stopped without recording an end.</summary>
    public const string Abandoned = "Abandoned";

    public static bool IsTerminal(string status) => status is not (Queued or Running);
}

/// <summary>
/// Given to a job for one run: its identity, progress reporting (persisted at most every
/// <c>Jobs:ProgressFlushMilliseconds</c> and at the end, visible through the API while running), API calls used,
/// warnings and non-fatal errors. Thread-safe.
/// </summary>
public sealed class JobRunContext
{
    private readonly Lock _lock = new();
    private readonly List<string> _warnings = [];
    private readonly List<string> _errors = [];
    private long _done;
    private long? _total;
    private string? _stage;
    private long _apiCalls;
    private bool _dirty;

    internal JobRunContext(string runId, string jobName, string trigger, DateTimeOffset? scheduledFireAt)
    {
        RunId = runId;
        JobName = jobName;
        Trigger = trigger;
        ScheduledFireAt = scheduledFireAt;
    }

    public string RunId { get; }

    public string JobName { get; }

    /// <summary>One of <see cref="JobTriggers"/>.</summary>
    public string Trigger { get; }

    /// <summary>The fire time this run stands for (schedule and catch-up runs).</summary>
    public DateTimeOffset? ScheduledFireAt { get; }

    /// <summary>Records progress: <paramref name="done"/> items out of <paramref name="total"/> (null when unknown), in an optional stage.</summary>
    public void ReportProgress(long done, long? total, string? stage = null)
    {
        lock (_lock)
        {
            _done = done;
            _total = total;
            _stage = stage ?? _stage;
            _dirty = true;
        }
    }

    /// <summary>Adds Salesforce API calls spent by this run.</summary>
    public void AddApiCalls(long count)
    {
        lock (_lock)
        {
            _apiCalls += count;
            _dirty = true;
        }
    }

    public void Warn(string message)
    {
        lock (_lock)
        {
            _warnings.Add(message);
            _dirty = true;
        }
    }

    /// <summary>Records a non-fatal error (the run goes on); throw to fail the run.</summary>
    public void Error(string message)
    {
        lock (_lock)
        {
            _errors.Add(message);
            _dirty = true;
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return [.. _warnings];
            }
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Copies the reported values onto <paramref name="run"/>; <paramref name="changed"/> says whether anything changed since the last call.</summary>
    internal JobRun ApplyTo(JobRun run, out bool changed)
    {
        lock (_lock)
        {
            changed = _dirty;
            _dirty = false;
            return run with
            {
                Done = _done,
                Total = _total,
                Stage = _stage,
                ApiCalls = _apiCalls,
                Warnings = [.. _warnings],
                Errors = [.. _errors],
            };
        }
    }
}
