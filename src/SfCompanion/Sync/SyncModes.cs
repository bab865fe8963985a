namespace SfCompanion.Sync;

/// <summary>How an object was last read, as recorded in its <see cref="SyncState"/> and reported per run.</summary>
public static class SyncModes
{
    /// <summary>Initial load through REST query pages (resumable from the last page).</summary>
    public const string Rest = "rest";

    /// <summary>Initial load through a Bulk API 2.0 query.</summary>
    public const string Bulk = "bulk";

    /// <summary>Changes since the watermark, deletes included (<c>queryAll</c>).</summary>
    public const string Incremental = "incremental";

    /// <summary>Everything read again and records no longer in Salesforce removed (after the delete window or new fields).</summary>
    public const string Full = "full";

    /// <summary>Reported for an object whose read Salesforce refused in this run (never saved as a state's mode).</summary>
    public const string Failed = "failed";
}
