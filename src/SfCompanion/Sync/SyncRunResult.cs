namespace SfCompanion.Sync;

/// <summary>What a sync run did, object by object.</summary>
public sealed record SyncRunResult(IReadOnlyList<ObjectSyncResult> Objects, bool Completed, string? StoppedBecause)
{
    /// <summary>Calls shared by several objects (Composite calls of a batched incremental pass).</summary>
    public long SharedApiCalls { get; init; }

    public long ApiCalls => Objects.Sum(o => o.ApiCalls) + SharedApiCalls;

    /// <summary>Objects that failed (Salesforce refused their query), each with its error.</summary>
    public IReadOnlyList<ObjectSyncResult> Failed => [.. Objects.Where(o => o.Error is not null)];

    /// <summary>Records written to or removed from the mirror.</summary>
    public long Changed => Objects.Sum(o => o.Upserted + o.Deleted);
}
