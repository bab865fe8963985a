namespace SfCompanion.Rotation;

/// <summary>A rep as the allocator sees them: weight, availability and what is left of their caps (null: no cap).</summary>
public sealed record AllocatorRep(string UserId, double Weight, bool Available = true, int? DailyLeft = null, int? OpenLeft = null);
