namespace SfCompanion.Soak;

/// <summary>
/// A change a rep made in the org: <c>edit</c> (ordinary fields), <c>opt-out</c> (ticked HasOptedOutOfEmail),
/// <c>resubscribe</c> (unticked it on someone who had opted out through SfCompanion), <c>delete</c>.
/// </summary>
internal sealed record RepAction(string Kind, string RecordId, DateTimeOffset At);
