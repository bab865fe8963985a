using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Writeback;

/// <summary>How the outbox is written back to Salesforce.</summary>
public sealed class WritebackOptions : ISectionOptions
{
    public static string SectionName => "Writeback";

    /// <summary>
    /// At least this many pending changed records of one object and one set of changed fields (counted over the whole
    /// outbox) go through Bulk API 2.0; fewer use sObject Collections (200 per call).
    /// </summary>
    [Range(1, int.MaxValue)]
    public int BulkThreshold { get; set; } = 2_000;

    /// <summary>Most records sent in one Bulk API 2.0 job; also the most updates held in memory for Bulk at once.</summary>
    [Range(100, 1_000_000)]
    public int BulkJobSize { get; set; } = 25_000;

    /// <summary>Outbox entries read per step.</summary>
    [Range(100, 100_000)]
    public int PageSize { get; set; } = 5_000;

    /// <summary>Attempts for a record refused with a transient error before it goes to the dead-letter list.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First wait before retrying a transient failure; doubles each attempt, with jitter, up to an hour.</summary>
    [Range(1, 3600)]
    public int RetryBaseSeconds { get; set; } = 30;
}
