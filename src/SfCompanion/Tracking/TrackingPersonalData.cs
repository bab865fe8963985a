using SfCompanion.Consent;

namespace SfCompanion.Tracking;

/// <summary>
/// A person's clicks in the tracking aggregates, for the consent export and erasure. Raw clicks in the log (with the
/// truncated IP and user agent) are not indexed by person; they go with the click retention (<c>Tracking:RetentionDays</c>).
/// </summary>
internal sealed class TrackingPersonalData(ClickAggregateStore aggregates) : IPersonalDataHolder
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

    public Task<int> EraseAsync(string subject, CancellationToken cancellationToken) => aggregates.DeleteRecipientAsync(subject, cancellationToken);
}
