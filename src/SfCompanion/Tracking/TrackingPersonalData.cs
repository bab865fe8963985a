using System.Text.Json;
using SfCompanion.Consent;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// What click tracking holds about a person, for the consent export and erasure: their aggregates (clicks per
/// campaign, the queued tracking token) and their raw clicks in the <c>clicks</c> log (time, link, user agent, stored
/// IP). Raw clicks are found through the sequences the aggregates keep, plus a scan of the clicks not aggregated yet.
/// </summary>
internal sealed class TrackingPersonalData(ClickAggregateStore aggregates, ILogStore logs) : IPersonalDataHolder
{
    private const int PageSize = 5000;

    public string Name => "tracking";

    public async Task<object?> ExportAsync(string subject, CancellationToken cancellationToken)
    {
        var clickers = await aggregates.FindClickersAsync("recipient", subject, cancellationToken);
        var raw = await FindRawClicksAsync(subject, clickers, cancellationToken);
        return new
        {
            clicks = clickers.Select(c => new { c.CampaignId, c.Clicks, c.TaskQueued }).ToList(),
            rawClicks = raw.Select(r => new
            {
                r.Sequence,
                r.Click.At,
                r.Click.CampaignId,
                r.Click.LinkId,
                r.Click.UserAgent,
                r.Click.Ip,
                r.Click.ScannerRange,
            }).ToList(),
            trackingTokenQueued = await aggregates.GetQueuedTokenAsync(subject, cancellationToken) is not null,
        };
    }

    public async Task<int> EraseAsync(string subject, CancellationToken cancellationToken)
    {
        var clickers = await aggregates.FindClickersAsync("recipient", subject, cancellationToken);
        var raw = await FindRawClicksAsync(subject, clickers, cancellationToken);
        // Raw clicks first: should the aggregates' deletion fail, a retry still finds the clicks through them.
        var removed = await logs.DeleteAsync(ClickEvent.Log, raw.ConvertAll(r => r.Sequence), cancellationToken);
        return (int)removed + await aggregates.DeleteRecipientAsync(subject, clickers, cancellationToken);
    }

    /// <summary>The person's clicks still in the log: those their aggregates point to, and those not aggregated yet.</summary>
    private async Task<List<(long Sequence, ClickEvent Click)>> FindRawClicksAsync(string subject, IReadOnlyList<ClickerAggregate> clickers, CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<long, ClickEvent>();
        foreach (var sequence in clickers.SelectMany(c => c.Clicks).Select(c => c.Seq).Distinct())
        {
            // Gone already when the click retention trimmed it: then the next entry comes back, and is not theirs.
            var next = await logs.ReadAsync(ClickEvent.Log, sequence - 1, 1, cancellationToken);
            if (next.Count == 1 && next[0].Sequence == sequence && Parse(next[0], subject) is { } click)
            {
                found[sequence] = click;
            }
        }

        var cursor = await logs.GetCursorAsync(ClickEvent.Log, ClickAggregator.Consumer, cancellationToken);
        await foreach (var entry in logs.ReadAllAsync(ClickEvent.Log, cursor, PageSize, cancellationToken))
        {
            if (Parse(entry, subject) is { } click)
            {
                found[entry.Sequence] = click;
            }
        }

        return found.Select(f => (f.Key, f.Value)).ToList();
    }

    /// <summary>The click when it is <paramref name="subject"/>'s (the cheap substring test skips most of the log).</summary>
    private static ClickEvent? Parse(LogEntry entry, string subject)
    {
        if (!entry.Payload.Contains(subject, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var click = JsonSerializer.Deserialize(entry.Payload, ClickJsonContext.Default.ClickEvent);
            return click?.RecipientId == subject ? click : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
