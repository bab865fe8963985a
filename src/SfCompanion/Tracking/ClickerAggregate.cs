namespace SfCompanion.Tracking;

/// <summary>One recipient's clicks in one campaign, classified, and what has been queued for Salesforce.</summary>
public sealed record ClickerAggregate
{
    public required string CampaignId { get; init; }

    public required string RecipientId { get; init; }

    public List<RecordedClick> Clicks { get; init; } = [];

    /// <summary>The follow-up task was queued (once per member and campaign).</summary>
    public bool TaskQueued { get; init; }

    /// <summary>Salesforce fields still to be queued from the latest classification.</summary>
    public bool Pending { get; init; }

    public IEnumerable<RecordedClick> HumanClicks => Clicks.Where(c => c.Reason is null);

    public static string KeyOf(string campaignId, string recipientId) => campaignId + ":" + recipientId;
}
