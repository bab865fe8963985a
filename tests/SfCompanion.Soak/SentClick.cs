namespace SfCompanion.Soak;

/// <summary>
/// One request to the redirect by the load generator. <see cref="UserAgent"/> carries the click's number, so the click log
/// entry it produced can be found again. <see cref="Answered"/>: the redirect answered 302 to the link's destination.
/// </summary>
internal sealed record SentClick(long Number, string Kind, string LinkId, string CampaignId, string? RecipientId, string UserAgent, bool Answered);
