namespace SfCompanion.Rotation;

/// <summary>
/// One entry of the <c>rotation-audit</c> log: an assignment, a recycle, a park, a reassignment or a skipped suspect,
/// with its reason.
/// </summary>
/// <param name="Action">assign, recycle, park, reassign, worked or skip.</param>
public sealed record RotationEvent(string Pool, string Action, string RecordId, string? From, string? To, int? Score, DateTimeOffset At, string Reason, string By);
