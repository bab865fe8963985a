using Microsoft.Extensions.Options;
using SfCompanion.Jobs;
using SfCompanion.Storage;
using SfCompanion.Writeback;

namespace SfCompanion.Tracking;

/// <summary>Aggregates clicks and queues their Salesforce values; then, by default, runs a writeback pass so they land within the minute.</summary>
public sealed class ClickAggregationJob(ClickAggregator aggregator, IServiceProvider services, IOptions<TrackingOptions> options) : ISfcJob
{
    public const string Name = "click-aggregation";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await aggregator.RunAsync((done, stage) => context.ReportProgress(done, null, stage), cancellationToken);
        if (result.Waiting > 0)
        {
            context.Warn($"{result.Waiting} clicker(s) wait for their campaign member to reach the mirror (next sync).");
        }

        // The writeback needs a Salesforce client, registered only when Salesforce is configured.
        if (options.Value.WritebackAfterAggregation && services.GetService<Salesforce.ISalesforceClient>() is not null
            && services.GetService<WritebackService>() is { } writeback)
        {
            var written = await writeback.RunAsync((done, total) => context.ReportProgress(done, total, "writeback"), cancellationToken);
            context.AddApiCalls(written.ApiCalls);
            if (written.StoppedBecause is { } reason)
            {
                context.Warn(reason);
            }
        }
    }
}

/// <summary>Removes raw clicks (user agent, IP) older than <c>Tracking:RetentionDays</c>; aggregates stay.</summary>
public sealed class ClickRetentionJob(ClickRetention retention) : ISfcJob
{
    public const string Name = "click-retention";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var removed = await retention.RunAsync(cancellationToken);
        context.ReportProgress(removed, removed, "trimmed");
    }
}

/// <summary>Trims the raw click log, never past what the aggregation has processed.</summary>
public sealed class ClickRetention(ILogStore logs, IOptions<TrackingOptions> options, TimeProvider time)
{
    public async Task<long> RunAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        var processed = await logs.GetCursorAsync(ClickEvent.Log, ClickAggregator.Consumer, cancellationToken);
        // Unprocessed clicks must reach the aggregates first: trim only up to the aggregation cursor.
        var entries = await logs.ReadAsync(ClickEvent.Log, processed, 1, cancellationToken);
        if (entries.Count > 0 && entries[0].Timestamp < cutoff)
        {
            cutoff = entries[0].Timestamp;
        }

        return await logs.TrimAsync(ClickEvent.Log, cutoff, cancellationToken);
    }
}
