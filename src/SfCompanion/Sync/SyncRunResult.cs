namespace SfCompanion.Sync;

/// <summary>What a sync run did, object by object.</summary>
public sealed record SyncRunResult(IReadOnlyList<ObjectSyncResult> Objects, bool Completed, string? StoppedBecause)
{
    public long ApiCalls => Objects.Sum(o => o.ApiCalls);
}
