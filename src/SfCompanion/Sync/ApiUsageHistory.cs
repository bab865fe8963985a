using System.Text.Json;
using SfCompanion.Salesforce;
using SfCompanion.Storage;

namespace SfCompanion.Sync;

/// <summary>
/// The org's daily API usage over time: each process that talks to Salesforce records what the org last reported
/// (<c>Sforce-Limit-Info</c>) at most every <see cref="SampleInterval"/>, in the shared log <c>api-usage</c>; the
/// console draws the last 24 hours from it. Samples older than <see cref="Kept"/> are trimmed.
/// </summary>
public sealed partial class ApiUsageHistory(IServiceProvider services, ILogStore log, TimeProvider time, ILogger<ApiUsageHistory> logger) : BackgroundService
{
    public const string Log = "api-usage";

    public static readonly TimeSpan SampleInterval = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Kept = TimeSpan.FromDays(2);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DateTimeOffset? _lastObserved;
    private DateTimeOffset _lastRecorded = DateTimeOffset.MinValue;

    /// <summary>One sample: calls used of the daily limit, as the org reported at <c>At</c>.</summary>
    public sealed record Sample(long Used, long Limit, DateTimeOffset At);

    /// <summary>Samples observed since <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Sample>> ReadAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var samples = new List<Sample>();
        long after = 0;
        while (true)
        {
            var entries = await log.ReadAsync(Log, after, 1000, cancellationToken);
            foreach (var entry in entries)
            {
                if (JsonSerializer.Deserialize<Sample>(entry.Payload, Json) is { } sample && sample.At >= since)
                {
                    samples.Add(sample);
                }
            }

            if (entries.Count < 1000)
            {
                break;
            }

            after = entries[^1].Sequence;
        }

        return samples.OrderBy(s => s.At).ToList();
    }

    /// <summary>Records the current usage when it is new and the last sample is old enough; returns whether it did.</summary>
    public async Task<bool> RecordAsync(CancellationToken cancellationToken = default)
    {
        if (services.GetService<ISalesforceClient>()?.LastApiUsage is not { } usage || usage.ObservedAt == _lastObserved)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (now - _lastRecorded < SampleInterval)
        {
            return false;
        }

        await log.AppendAsync(Log, [JsonSerializer.Serialize(new Sample(usage.Used, usage.Limit, usage.ObservedAt), Json)], cancellationToken);
        _lastObserved = usage.ObservedAt;
        _lastRecorded = now;
        await log.TrimAsync(Log, now - Kept, cancellationToken);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            try
            {
                await RecordAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the org's API usage: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
