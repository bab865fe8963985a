using Microsoft.Extensions.Options;

namespace SfCompanion.Salesforce;

/// <summary>
/// Enforces the API budget before every call: the org-wide stop threshold, the per-run share of the daily
/// limit and the cool-down after <c>REQUEST_LIMIT_EXCEEDED</c>. Also keeps the last reported usage and
/// the process-wide call counts.
/// </summary>
public sealed class QuotaGuard
{
    private readonly AsyncLocal<QuotaRun?> _currentRun = new();
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ApiUsage? _usage;
    private DateTimeOffset? _pausedUntil;
    private DateTimeOffset? _lastRecheck;

    public QuotaGuard(IOptionsMonitor<SalesforceOptions> options, TimeProvider timeProvider)
    {
        _options = options;
        _time = timeProvider;
    }

    /// <summary>Every call made by this process, per operation.</summary>
    public CallCounter Calls { get; } = new();

    /// <summary>The latest usage Salesforce reported, or null before the first response.</summary>
    public ApiUsage? LastApiUsage
    {
        get
        {
            lock (_gate)
            {
                return _usage;
            }
        }
    }

    /// <summary>The run the current async flow belongs to, if any.</summary>
    public QuotaRun? CurrentRun => _currentRun.Value;

    /// <summary>
    /// Starts a run (a sync, a writeback pass): calls made in this async flow until the run is disposed count
    /// against <see cref="SalesforceBudgetOptions.MaxRunPercentOfDailyLimit"/> and appear in <see cref="QuotaRun.Calls"/>.
    /// </summary>
    public QuotaRun BeginRun(string name, int? maxCalls = null)
    {
        var run = new QuotaRun(name, maxCalls, _currentRun.Value, this);
        _currentRun.Value = run;
        return run;
    }

    internal void EndRun(QuotaRun run)
    {
        if (ReferenceEquals(_currentRun.Value, run))
        {
            _currentRun.Value = run.Parent;
        }
    }

    /// <summary>Checks the budget without calling; null when a call may go ahead.</summary>
    public SalesforceBudgetExhaustedException? Check() => Check(admitRecheck: false);

    /// <summary>
    /// Checks the budget right before a call. Past the stop threshold, once the last reported usage is older than
    /// <see cref="SalesforceBudgetOptions.UsageRecheckInterval"/>, one call is let through (once per interval): the
    /// allowance is a rolling 24 hours, usage goes down again, and only a response says so.
    /// </summary>
    internal SalesforceBudgetExhaustedException? Check(bool admitRecheck)
    {
        var budget = _options.CurrentValue.Budget;
        var now = _time.GetUtcNow();
        ApiUsage? usage;
        DateTimeOffset? pausedUntil;
        lock (_gate)
        {
            usage = _usage;
            pausedUntil = _pausedUntil;
        }

        if (pausedUntil is { } until && until > now)
        {
            return new SalesforceBudgetExhaustedException(
                BudgetExhaustedReason.OrgLimitExceeded,
                $"Salesforce reported REQUEST_LIMIT_EXCEEDED; calls are paused until {until:u}.",
                usage,
                until);
        }

        if (usage is not null && usage.UsedPercent >= budget.StopAtUsedPercent && !(admitRecheck && TryClaimRecheck(usage, now, budget.UsageRecheckInterval)))
        {
            return new SalesforceBudgetExhaustedException(
                BudgetExhaustedReason.DailyThreshold,
                $"The org has used {usage.Used} of {usage.Limit} daily API requests ({usage.UsedPercent:0.#}%), at or above the {budget.StopAtUsedPercent}% stop threshold.",
                usage,
                retryAfter: null);
        }

        for (var run = _currentRun.Value; run is not null; run = run.Parent)
        {
            var allowed = RunAllowance(run, usage, budget);
            if (allowed is { } max && run.Calls.ApiCalls >= max)
            {
                return new SalesforceBudgetExhaustedException(
                    BudgetExhaustedReason.RunBudget,
                    $"Run '{run.Name}' has spent its budget of {max} API calls.",
                    usage,
                    retryAfter: null);
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="SalesforceBudgetExhaustedException"/> when the budget does not allow another call.</summary>
    public void EnsureCanCall()
    {
        if (Check() is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>API calls the run may still make, or null when unlimited/unknown.</summary>
    public long? RemainingForRun(QuotaRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var allowed = RunAllowance(run, LastApiUsage, _options.CurrentValue.Budget);
        return allowed is { } max ? Math.Max(0, max - run.Calls.ApiCalls) : null;
    }

    private static long? RunAllowance(QuotaRun run, ApiUsage? usage, SalesforceBudgetOptions budget)
    {
        long? allowed = run.MaxCalls ?? budget.MaxCallsPerRun;
        if (usage is { Limit: > 0 })
        {
            var share = (long)Math.Floor(usage.Limit * budget.MaxRunPercentOfDailyLimit / 100.0);
            allowed = allowed is { } a ? Math.Min(a, share) : share;
        }

        return allowed;
    }

    internal void RecordCall(string operation)
    {
        Calls.Increment(operation);
        for (var run = _currentRun.Value; run is not null; run = run.Parent)
        {
            run.Calls.Increment(operation);
        }
    }

    internal void RecordUsage(ApiUsage usage)
    {
        lock (_gate)
        {
            if (_usage is null || usage.ObservedAt >= _usage.ObservedAt)
            {
                _usage = usage;
            }
        }
    }

    private bool TryClaimRecheck(ApiUsage usage, DateTimeOffset now, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            return false;
        }

        lock (_gate)
        {
            var since = _lastRecheck is { } last && last > usage.ObservedAt ? last : usage.ObservedAt;
            if (now - since < interval)
            {
                return false;
            }

            _lastRecheck = now;
            return true;
        }
    }

    internal DateTimeOffset RecordLimitExceeded()
    {
        var until = _time.GetUtcNow() + _options.CurrentValue.Budget.LimitExceededCooldown;
        lock (_gate)
        {
            _pausedUntil = until;
        }

        return until;
    }
}

/// <summary>A unit of work with its own API budget and call counts; dispose to end it.</summary>
public sealed class QuotaRun : IDisposable
{
    private readonly QuotaGuard _guard;

    internal QuotaRun(string name, int? maxCalls, QuotaRun? parent, QuotaGuard guard)
    {
        Name = name;
        MaxCalls = maxCalls;
        Parent = parent;
        _guard = guard;
    }

    public string Name { get; }

    /// <summary>Explicit cap for this run, on top of the configured percentage.</summary>
    public int? MaxCalls { get; }

    internal QuotaRun? Parent { get; }

    /// <summary>Calls made during this run, per operation.</summary>
    public CallCounter Calls { get; } = new();

    /// <summary>API calls still allowed, or null when no cap is known yet.</summary>
    public long? Remaining => _guard.RemainingForRun(this);

    public void Dispose() => _guard.EndRun(this);
}
