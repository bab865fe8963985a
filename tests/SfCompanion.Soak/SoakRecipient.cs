namespace SfCompanion.Soak;

/// <summary>A campaign member the load generator acts as: its lead or contact id, a campaign it belongs to, its signed token.</summary>
internal sealed record SoakRecipient(string Id, string CampaignId, string Token);
