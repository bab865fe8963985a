using Microsoft.Extensions.Options;
using SfCompanion.Jobs;
using SfCompanion.Storage;
using SfCompanion.Writeback;

namespace SfCompanion.Tracking;

/// <summary>
/// Aggregates clicks and queues their Salesforce values; then, by default, asks for a run of the writeback job (the
/// one writer to Salesforce, under its own lease) so the values land within the minute instead of at its next slot.
/// </summary>
public sealed class ClickAggregationJob(ClickAggregator aggregator, JobCatalog catalog, JobControl control, IOptions<TrackingOptions> options, TimeProvider time) : ISfcJob
{
    public const string Name = "click-aggregation";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await aggregator.RunAsync((done, stage) => context.ReportProgress(done, null, stage), cancellationToken);

        // Clicks too recent to classify would otherwise wait for the next run: when they settle within the settle
        // period, wait for them and aggregate once more, so a click reaches Salesforce within about a minute.
        if (result.NextSettlesAt is { } settles && settles - time.GetUtcNow() is var wait && wait <= TimeSpan.FromSeconds(options.Value.SettleSeconds))
        {
            context.ReportProgress(result.ClicksRead, null, "waiting for recent clicks to settle");
            if (wait > TimeSpan.Zero)
            {
                // Timers count whole milliseconds and may fire a fraction early: a small margin so the click has settled.
                await Task.Delay(wait + TimeSpan.FromMilliseconds(50), time, cancellationToken);
            }

            var again = await aggregator.RunAsync((done, stage) => context.ReportProgress(result.ClicksRead + done, null, stage), cancellationToken);
            result = again with
            {
                ClicksRead = result.ClicksRead + again.ClicksRead,
                RecordsQueued = result.RecordsQueued + again.RecordsQueued,
            };
        }
        if (result.Waiting > 0)
        {
            context.Warn($"{result.Waiting} clicker(s) wait for their campaign member to reach the mirror (next sync).");
        }

        if (result.RecordsQueued > 0 && options.Value.WritebackAfterAggregation)
        {
            if (await control.RequestWritebackAsync(catalog, cancellationToken) is { } request)
            {
                context.ReportProgress(result.RecordsQueued, result.RecordsQueued, request.Run is { } run ? $"writeback run {run.Id} requested" : "writeback already under way");
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

        var trimmed = await logs.TrimAsync(ClickEvent.Log, cutoff, cancellationToken);
        await ForgetGoneJournalsAsync(cancellationToken);
        return trimmed;
    }

    /// <summary>
    /// Removes the cursors of click journals whose last recorded log position is older than everything the log still
    /// holds: a journal that has moved no click for the whole retention period, usually one whose process and disk are
    /// gone (a replaced pod). A live journal idle that long has nothing left to replay, and records them again with its
    /// next click. Returns how many journals were forgotten.
    /// </summary>
    public async Task<int> ForgetGoneJournalsAsync(CancellationToken cancellationToken = default)
    {
        var first = await logs.ReadAsync(ClickEvent.Log, 0, 1, cancellationToken);
        var firstKept = first.Count > 0 ? first[0].Sequence : await logs.GetLastSequenceAsync(ClickEvent.Log, cancellationToken) + 1;
        var cursors = await logs.ListCursorsAsync(ClickEvent.Log, cancellationToken);
        var gone = new List<string>();
        foreach (var (name, sequence) in cursors)
        {
            if (ClickJournalDrainer.JournalOfLogCursor(name) is { } journalId && sequence < firstKept)
            {
                var (positionCursor, logCursor) = ClickJournalDrainer.CursorNames(journalId);
                gone.Add(positionCursor);
                gone.Add(logCursor);
            }
        }

        await logs.DeleteCursorsAsync(ClickEvent.Log, gone, cancellationToken);
        return gone.Count / 2;
    }
}
