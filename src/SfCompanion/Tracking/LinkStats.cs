namespace SfCompanion.Tracking;

/// <summary>Figures of one link.</summary>
public sealed record LinkStats(
    string LinkId, string Label, string Url, bool IsHoneypot, long TotalClicks, long HumanClicks, long UniqueHumanClickers, long AnonymousClicks,
    IReadOnlyDictionary<string, long> FlaggedByReason);
