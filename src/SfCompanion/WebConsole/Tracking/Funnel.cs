namespace SfCompanion.WebConsole.Tracking;

/// <summary>
/// A campaign's (or one link's) click funnel: its members, the clicks (people and scanners alike), the people behind
/// the human clicks, and those of them who also responded otherwise (a form, an event registration…).
/// </summary>
public sealed record Funnel(long Members, long Clicks, long UniqueHumanClickers, long RespondedOtherwise);
