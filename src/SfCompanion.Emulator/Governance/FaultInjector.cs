namespace SfCompanion.Emulator.Governance;

/// <summary>Scripted and random faults: what a real org does on a bad day.</summary>
public sealed class FaultInjector
{
    private readonly Lock _sync = new();
    private readonly Random _random;
    private readonly Dictionary<string, int> _lockedRecords = new(StringComparer.Ordinal);
    private readonly Queue<int> _scriptedStatuses = new();
    private readonly Action _expireTokens;
    private int _slowRemaining;
    private int _failIngestJobs;
    private string _ingestFailure = "";
    private TimeSpan _slowDelay;

    internal FaultInjector(int seed, Action expireTokens)
    {
        _random = new Random(seed);
        _expireTokens = expireTokens;
    }

    /// <summary>Share of API calls (0–1) answered with 503 Service Unavailable.</summary>
    public double ServiceUnavailableRate { get; set; }

    /// <summary>Share of record writes (0–1) refused with UNABLE_TO_LOCK_ROW, as when a rep or a trigger holds the row.</summary>
    public double LockRate { get; set; }

    /// <summary>Share of API calls (0–1) delayed by <see cref="SlowDelay"/> on top of the usual latency: latency spikes.</summary>
    public double SlowRate { get; set; }

    /// <summary>The delay of a latency spike (<see cref="SlowRate"/>).</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Faults injected so far (scripted and random).</summary>
    public int InjectedCount { get; private set; }

    /// <summary>The next <paramref name="count"/> API calls fail with <paramref name="statusCode"/> (503 by default).</summary>
    public void FailNextRequests(int count, int statusCode = 503)
    {
        lock (_sync)
        {
            for (var i = 0; i < count; i++)
            {
                _scriptedStatuses.Enqueue(statusCode);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> Bulk ingest jobs fail as a whole with <paramref name="message"/>, no record processed.</summary>
    public void FailNextIngestJobs(int count, string message = "InternalServerError : the job could not be processed")
    {
        lock (_sync)
        {
            _failIngestJobs = count;
            _ingestFailure = message;
        }
    }

    /// <summary>The message the next ingest job fails with, if one is scripted to fail (counted as injected).</summary>
    internal string? NextIngestFailure()
    {
        lock (_sync)
        {
            if (_failIngestJobs <= 0)
            {
                return null;
            }

            _failIngestJobs--;
            InjectedCount++;
            return _ingestFailure;
        }
    }

    /// <summary>Writes to this record fail with UNABLE_TO_LOCK_ROW, <paramref name="times"/> times (forever by default).</summary>
    public void LockRecord(string id, int times = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_sync)
        {
            _lockedRecords[Model.SalesforceId.Normalize(id) ?? id] = times;
        }
    }

    public void UnlockRecord(string id)
    {
        lock (_sync)
        {
            _lockedRecords.Remove(Model.SalesforceId.Normalize(id) ?? id);
        }
    }

    /// <summary>The next <paramref name="count"/> API calls are delayed by <paramref name="delay"/> before being served.</summary>
    public void SlowNextRequests(int count, TimeSpan delay)
    {
        lock (_sync)
        {
            _slowRemaining = count;
            _slowDelay = delay;
        }
    }

    /// <summary>Every access token issued so far stops working: calls get 401 INVALID_SESSION_ID.</summary>
    public void ExpireTokensNow() => _expireTokens();

    /// <summary>Removes every scripted fault and sets the random rate back to zero.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _lockedRecords.Clear();
            _scriptedStatuses.Clear();
            _slowRemaining = 0;
            _failIngestJobs = 0;
            ServiceUnavailableRate = 0;
            LockRate = 0;
            SlowRate = 0;
        }
    }

    internal int? NextFailure()
    {
        lock (_sync)
        {
            if (_scriptedStatuses.TryDequeue(out var status))
            {
                InjectedCount++;
                return status;
            }

            if (ServiceUnavailableRate > 0 && _random.NextDouble() < ServiceUnavailableRate)
            {
                InjectedCount++;
                return 503;
            }

            return null;
        }
    }

    internal TimeSpan NextSlowDelay()
    {
        lock (_sync)
        {
            if (_slowRemaining <= 0)
            {
                if (SlowRate > 0 && _random.NextDouble() < SlowRate)
                {
                    InjectedCount++;
                    return SlowDelay;
                }

                return TimeSpan.Zero;
            }

            _slowRemaining--;
            return _slowDelay;
        }
    }

    internal int NextLatencyMs(int min, int max)
    {
        lock (_sync)
        {
            return max <= 0 ? 0 : _random.Next(min, Math.Max(min, max) + 1);
        }
    }

    internal bool IsLocked(string id)
    {
        lock (_sync)
        {
            if (!_lockedRecords.TryGetValue(id, out var remaining))
            {
                if (LockRate > 0 && _random.NextDouble() < LockRate)
                {
                    InjectedCount++;
                    return true;
                }

                return false;
            }

            if (remaining != int.MaxValue)
            {
                if (remaining <= 1)
                {
                    _lockedRecords.Remove(id);
                }
                else
                {
                    _lockedRecords[id] = remaining - 1;
                }
            }

            InjectedCount++;
            return true;
        }
    }
}
