using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Sync;

/// <summary>One Salesforce object kept in the mirror.</summary>
public sealed class SyncObjectOptions
{
    /// <summary>API name, e.g. <c>Lead</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9_]*$", ErrorMessage = "must be an sObject API name such as 'Lead' or 'Invoice__c'")]
    public string Name { get; set; } = "";

    /// <summary>Fields to mirror; <c>Id</c>, <c>SystemModstamp</c> and <c>IsDeleted</c> are always added.</summary>
    public List<string> Fields { get; set; } = [];

    /// <summary>Fields with a secondary look-up in the mirror (emails, parent ids).</summary>
    public List<string> IndexedFields { get; set; } = [];

    /// <summary>Optional SOQL condition limiting what is mirrored, e.g. <c>ActivityDate = LAST_N_DAYS:1095</c>.</summary>
    public string? Where { get; set; }
}

/// <summary>What the sync mirrors and how it reads it.</summary>
public sealed class SyncOptions : ISectionOptions
{
    public static string SectionName => "Sync";

    /// <summary>Objects to mirror. Empty = the defaults (see <see cref="SyncObjectCatalog.Defaults"/>).</summary>
    public List<SyncObjectOptions> Objects { get; set; } = [];

    /// <summary>An initial load of at least this many records uses a Bulk API 2.0 query; smaller ones use REST queries.</summary>
    [Range(1, int.MaxValue)]
    public int BulkThreshold { get; set; } = 10_000;

    /// <summary>Incremental queries start this far before the watermark, so nothing committed late or at a clock boundary is missed.</summary>
    [Range(0, 86_400)]
    public int OverlapSeconds { get; set; } = 300;

    /// <summary>
    /// After this long without a successful sync, soft-deleted records may have left the recycle bin unseen;
    /// the object is then re-read in full and records no longer in Salesforce are removed from the mirror.
    /// </summary>
    [Range(1, 365)]
    public int DeleteWindowDays { get; set; } = 15;

    /// <summary>Records per REST query page (<c>Sforce-Query-Options: batchSize</c>, 200–2000).</summary>
    [Range(200, 2000)]
    public int QueryBatchSize { get; set; } = 2000;

    /// <summary>Records per Bulk API 2.0 result page (<c>maxRecords</c>).</summary>
    /// <summary>
    /// When the org's daily API usage (last <c>Sforce-Limit-Info</c> seen) reaches this share, the scheduled sync skips
    /// passes so it runs at most every <see cref="SlowDownIntervalMinutes"/>, leaving the allowance to the org's other
    /// integrations; 100 turns the slow-down off.
    /// </summary>
    [Range(1, 100)]
    public double SlowDownAtUsedPercent { get; set; } = 50;

    /// <summary>Minutes between passes while the sync is slowed down.</summary>
    [Range(1, 1440)]
    public int SlowDownIntervalMinutes { get; set; } = 15;

    [Range(1000, 1_000_000)]
    public int BulkPageSize { get; set; } = 500_000;
}
