namespace SfCompanion.Jobs;

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
