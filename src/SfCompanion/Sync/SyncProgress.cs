namespace SfCompanion.Sync;

/// <summary>Progress of a sync: records done out of an estimated total, per object.</summary>
public delegate void SyncProgress(string sobject, long done, long? total);
