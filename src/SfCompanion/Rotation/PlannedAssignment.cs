namespace SfCompanion.Rotation;

/// <summary>Who gets (or would get) which suspect.</summary>
public sealed record PlannedAssignment(string RecordId, int Score, string Rep, string Action, string? From = null);
