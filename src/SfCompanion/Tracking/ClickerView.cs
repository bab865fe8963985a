namespace SfCompanion.Tracking;

/// <summary>One person who clicked a human click, with what Salesforce says about their membership.</summary>
public sealed record ClickerView(
    string RecipientId, string? Name, string? Email, string? Company, DateTimeOffset FirstClick, DateTimeOffset LastClick, int Clicks,
    IReadOnlyList<string> Links, string? MemberStatus, bool RespondedOtherwise);
