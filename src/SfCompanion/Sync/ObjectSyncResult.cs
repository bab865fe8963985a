namespace SfCompanion.Sync;

/// <summary>What one object's sync did.</summary>
public sealed record ObjectSyncResult(string Object, string Mode, long Upserted, long Deleted, long ApiCalls, TimeSpan Duration);
