namespace SfCompanion.Sync;

/// <summary>What one object's sync did; <see cref="ApiCalls"/> counts the calls of its own (not shared Composite calls).</summary>
public sealed record ObjectSyncResult(string Object, string Mode, long Upserted, long Deleted, long ApiCalls, TimeSpan Duration)
{
    /// <summary>Salesforce's error when the object failed (mode <c>failed</c>), else null.</summary>
    public string? Error { get; init; }
}
