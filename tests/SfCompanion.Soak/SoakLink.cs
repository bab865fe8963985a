namespace SfCompanion.Soak;

/// <summary>A tracked link registered for the soak.</summary>
internal sealed record SoakLink(string Id, string CampaignId, string Destination);
