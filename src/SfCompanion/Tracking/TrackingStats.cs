using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.Tracking;

/// <summary>Computes campaign and link figures from the aggregates (up to the last aggregation run) and the mirror.</summary>
public sealed class TrackingStats(ClickAggregateStore aggregates, TrackedLinks links, Mirror mirror, IOptions<TrackingOptions> options)
{
    /// <summary>Null when the campaign has no tracked link.</summary>
    public async Task<CampaignStats?> GetCampaignAsync(string campaignId, string? linkId = null, CancellationToken cancellationToken = default)
    {
        var campaignLinks = await links.ListAsync(campaignId, cancellationToken);
        if (campaignLinks.Count == 0 || (linkId is not null && campaignLinks.All(l => l.Id != linkId)))
        {
            return null;
        }

        var clickers = await aggregates.FindClickersAsync("campaign", campaignId, cancellationToken);
        var (campaign, _) = await aggregates.GetCampaignAsync(campaignId, cancellationToken);
        var selected = linkId is null ? campaignLinks : campaignLinks.Where(l => l.Id == linkId).ToList();
        var linkStats = selected.Select(l => LinkFigures(l, clickers, campaign)).ToList();
        var statuses = await mirror.FindAsync("CampaignMemberStatus", "CampaignId", campaignId, cancellationToken: cancellationToken);
        var views = new List<ClickerView>();
        foreach (var clicker in clickers)
        {
            var human = clicker.HumanClicks.Where(c => linkId is null || c.LinkId == linkId).OrderBy(c => c.At).ToList();
            if (human.Count == 0)
            {
                continue;
            }

            views.Add(await ViewAsync(clicker, human, campaignLinks, statuses, cancellationToken));
        }

        var record = await mirror.GetAsync("Campaign", campaignId, cancellationToken);
        var members = await mirror.FindAsync("CampaignMember", "CampaignId", campaignId, int.MaxValue, cancellationToken);
        return new CampaignStats(
            campaignId,
            record?["Name"],
            members.Count,
            linkStats.Sum(l => l.TotalClicks),
            linkStats.Sum(l => l.HumanClicks),
            views.Count,
            linkStats.Sum(l => l.AnonymousClicks),
            Merge(linkStats.Select(l => l.FlaggedByReason)),
            linkStats,
            [.. views.OrderByDescending(v => v.LastClick)]);
    }

    private static LinkStats LinkFigures(TrackedLink link, IReadOnlyList<ClickerAggregate> clickers, CampaignAggregate campaign)
    {
        var clicks = clickers.SelectMany(c => c.Clicks.Where(k => k.LinkId == link.Id).Select(k => (c.RecipientId, k))).ToList();
        var anonymous = campaign.Anonymous.GetValueOrDefault(link.Id) ?? new AnonymousCounts();
        var flagged = clicks.Where(c => c.k.Reason is not null).GroupBy(c => c.k.Reason!).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        foreach (var (reason, count) in anonymous.Flagged)
        {
            flagged[reason] = flagged.GetValueOrDefault(reason) + count;
        }

        var human = clicks.Where(c => c.k.Reason is null).ToList();
        return new LinkStats(link.Id, link.Label, link.Url, link.IsHoneypot, clicks.Count + anonymous.Total, human.Count,
            human.Select(h => h.RecipientId).Distinct(StringComparer.Ordinal).Count(), anonymous.Total, flagged);
    }

    private static Dictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> parts)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in parts.SelectMany(p => p))
        {
            total[reason] = total.GetValueOrDefault(reason) + count;
        }

        return total;
    }

    private async Task<ClickerView> ViewAsync(ClickerAggregate clicker, List<RecordedClick> human, IReadOnlyList<TrackedLink> campaignLinks, IReadOnlyList<MirrorRecord> statuses, CancellationToken cancellationToken)
    {
        var isContact = SalesforceIds.ObjectOf(clicker.RecipientId) == "Contact";
        var person = await mirror.GetAsync(isContact ? "Contact" : "Lead", clicker.RecipientId, cancellationToken);
        var member = (await mirror.FindAsync("CampaignMember", isContact ? "ContactId" : "LeadId", clicker.RecipientId, cancellationToken: cancellationToken))
            .FirstOrDefault(m => m["CampaignId"] == clicker.CampaignId);
        var status = member?["Status"];
        var clickedStatus = options.Value.ClickedStatus;
        // Responded otherwise = a responded status other than the one clicks give (a form, an event registration…).
        var statusResponded = statuses.FirstOrDefault(s => string.Equals(s["Label"], status, StringComparison.OrdinalIgnoreCase)) is { } st
            && string.Equals(st["HasResponded"], "true", StringComparison.OrdinalIgnoreCase);
        var respondedOtherwise = status is not null && !string.Equals(status, clickedStatus, StringComparison.OrdinalIgnoreCase) && statusResponded;
        var name = person is null ? null : string.Join(' ', new[] { person["FirstName"], person["LastName"] }.Where(n => !string.IsNullOrEmpty(n)));
        var labels = human.Select(h => h.LinkId).Distinct(StringComparer.Ordinal)
            .Select(id => campaignLinks.FirstOrDefault(l => l.Id == id)?.Label ?? id).ToList();
        var company = person?["Company"];
        if (isContact && person?["AccountId"] is { Length: > 0 } accountId)
        {
            company = (await mirror.GetAsync("Account", accountId, cancellationToken))?["Name"];
        }

        return new ClickerView(clicker.RecipientId, name, person?["Email"], company, human[0].At, human[^1].At, human.Count, labels, status, respondedOtherwise, person?["Phone"]);
    }
}
