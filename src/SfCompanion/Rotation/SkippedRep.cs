namespace SfCompanion.Rotation;

/// <summary>A rep who got nothing in a run and why (inactive, not in the mirror, on leave, not a working day, cap reached).</summary>
public sealed record SkippedRep(string UserId, string Reason);
