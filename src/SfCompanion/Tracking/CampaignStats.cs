namespace SfCompanion.Tracking;

/// <summary>Figures of one campaign, its links and its clickers.</summary>
public sealed record CampaignStats(
    string CampaignId, string? Name, long Members, long TotalClicks, long HumanClicks, long UniqueHumanClickers, long AnonymousClicks,
    IReadOnlyDictionary<string, long> FlaggedByReason, IReadOnlyList<LinkStats> Links, IReadOnlyList<ClickerView> Clickers)
{
    /// <summary>Human clickers who have not responded otherwise (no form, no event): the people to call.</summary>
    public IReadOnlyList<ClickerView> CallThese => Clickers.Where(c => !c.RespondedOtherwise).ToList();
}
