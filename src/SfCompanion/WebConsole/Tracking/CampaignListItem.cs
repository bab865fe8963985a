namespace SfCompanion.WebConsole.Tracking;

/// <summary>One campaign on the console's tracking page: what the mirror says about it and its tracked links.</summary>
/// <param name="Members">Leads and contacts in the campaign, from the mirrored campaign's roll-ups (null when not mirrored).</param>
/// <param name="HumanClickers">People with at least one human click, up to the last aggregation run.</param>
public sealed record CampaignListItem(
    string Id, string? Name, string? Type, string? Status, long? Members, int Links, int ActiveLinks, int HumanClickers, DateTimeOffset? StartDate);
