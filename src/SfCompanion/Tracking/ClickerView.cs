namespace SfCompanion.Tracking;

/// <summary>One person who clicked a human click, with what Salesforce says about their membership (the company of a contact is their account's name).</summary>
public sealed record ClickerView(
    string RecipientId, string? Name, string? Email, string? Company, DateTimeOffset FirstClick, DateTimeOffset LastClick, int Clicks,
    IReadOnlyList<string> Links, string? MemberStatus, bool RespondedOtherwise, string? Phone = null);
