using SfCompanion.Consent;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// A person's clicks in the tracking aggregates, for the consent export and erasure. Raw clicks in the log (with the
/// truncated IP and user agent) are not indexed by person; they go with the click retention (<c>Tracking:RetentionDays</c>).
/// </summary>
internal sealed class TrackingPersonalData(ClickAggregateStore aggregates, IDocumentStore store) : IPersonalDataHolder
{
    public string Name => "tracking";

    public async Task<object?> ExportAsync(string subject, CancellationToken cancellationToken)
    {
        var clickers = await aggregates.FindClickersAsync("recipient", subject, cancellationToken);
        return new
        {
            clicks = clickers.Select(c => new { c.CampaignId, c.Clicks, c.TaskQueued }).ToList(),
            trackingTokenQueued = await aggregates.GetQueuedTokenAsync(subject, cancellationToken) is not null,
        };
    }

    public async Task<int> EraseAsync(string subject, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var clicker in await aggregates.FindClickersAsync("recipient", subject, cancellationToken))
        {
            removed += await store.DeleteAsync(ClickAggregateStore.ClickerKind, ClickerAggregate.KeyOf(clicker.CampaignId, clicker.RecipientId), cancellationToken: cancellationToken) ? 1 : 0;
        }

        removed += await store.DeleteAsync(ClickAggregateStore.TokenKind, subject, cancellationToken: cancellationToken) ? 1 : 0;
        return removed;
    }
}
