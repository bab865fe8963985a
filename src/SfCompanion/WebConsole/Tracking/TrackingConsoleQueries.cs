using System.Globalization;
using SfCompanion.Sync;
using SfCompanion.Tracking;

namespace SfCompanion.WebConsole.Tracking;

/// <summary>What the tracking page reads besides <see cref="TrackingStats"/>: the campaigns to list and the funnel of each link.</summary>
public static class TrackingConsoleQueries
{
    /// <summary>Mirrored campaigns without a tracked link listed at most (the latest start dates first, campaigns without one before them).</summary>
    public const int MaxUntracked = 50;

    /// <summary>Campaigns with tracked links (every one of them), then mirrored campaigns without any.</summary>
    public static async Task<(IReadOnlyList<CampaignListItem> Tracked, IReadOnlyList<CampaignListItem> Untracked)> ListCampaignsAsync(
        Mirror mirror, TrackedLinks links, ClickAggregateStore aggregates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(aggregates);
        var byCampaign = new Dictionary<string, List<TrackedLink>>(StringComparer.Ordinal);
        await foreach (var link in links.ListAllAsync(cancellationToken))
        {
            if (!byCampaign.TryGetValue(link.CampaignId, out var list))
            {
                byCampaign[link.CampaignId] = list = [];
            }

            list.Add(link);
        }

        var tracked = new List<CampaignListItem>();
        foreach (var (campaignId, campaignLinks) in byCampaign)
        {
            var record = await mirror.GetAsync("Campaign", campaignId, cancellationToken);
            var clickers = await aggregates.FindClickersAsync("campaign", campaignId, cancellationToken);
            var people = campaignLinks.Where(l => !l.IsHoneypot).ToList();
            tracked.Add(Item(campaignId, record, people.Count, people.Count(l => !l.Disabled), clickers.Count(c => c.HumanClicks.Any())));
        }

        var untracked = new List<CampaignListItem>();
        await foreach (var record in mirror.ListAsync("Campaign", cancellationToken))
        {
            if (!byCampaign.ContainsKey(record.Id))
            {
                untracked.Add(Item(record.Id, record, 0, 0, 0));
            }
        }

        return (
            [.. tracked.OrderByDescending(c => c.StartDate ?? DateTimeOffset.MinValue).ThenBy(c => c.Name ?? c.Id, StringComparer.CurrentCulture)],
            [.. untracked.OrderByDescending(c => c.StartDate ?? DateTimeOffset.MaxValue).ThenBy(c => c.Name ?? c.Id, StringComparer.CurrentCulture).Take(MaxUntracked)]);
    }

    private static CampaignListItem Item(string id, MirrorRecord? record, int links, int active, int clickers)
    {
        long? members = record is null ? null : Number(record["NumberOfLeads"]) + Number(record["NumberOfContacts"]);
        DateTimeOffset? start = DateTimeOffset.TryParse(record?["StartDate"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) ? s : null;
        return new CampaignListItem(id, record?["Name"], record?["Type"], record?["Status"], members, links, active, clickers, start);
    }

    private static long Number(string? value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? (long)n : 0;

    /// <summary>The campaign's funnel from its figures.</summary>
    public static Funnel CampaignFunnel(CampaignStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new Funnel(stats.Members, stats.TotalClicks, stats.UniqueHumanClickers, stats.Clickers.Count(c => c.RespondedOtherwise));
    }

    /// <summary>Each link's funnel: its clicks, the people behind its human clicks, and those of them who responded otherwise.</summary>
    public static async Task<IReadOnlyDictionary<string, Funnel>> LinkFunnelsAsync(CampaignStats stats, ClickAggregateStore aggregates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(aggregates);
        var responded = stats.Clickers.Where(c => c.RespondedOtherwise).Select(c => c.RecipientId).ToHashSet(StringComparer.Ordinal);
        var clickers = await aggregates.FindClickersAsync("campaign", stats.CampaignId, cancellationToken);
        var funnels = new Dictionary<string, Funnel>(StringComparer.Ordinal);
        foreach (var link in stats.Links)
        {
            var people = clickers.Where(c => c.HumanClicks.Any(k => k.LinkId == link.LinkId)).Select(c => c.RecipientId).ToList();
            funnels[link.LinkId] = new Funnel(stats.Members, link.TotalClicks, link.UniqueHumanClickers, people.Count(responded.Contains));
        }

        return funnels;
    }
}
