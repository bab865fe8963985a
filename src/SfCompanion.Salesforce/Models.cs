using System.Text.Json.Serialization;

namespace SfCompanion.Salesforce;

/// <summary>Options of a SOQL query.</summary>
public sealed record QueryOptions
{
    /// <summary><c>Sforce-Query-Options: batchSize</c> (200–2000); Salesforce may return fewer.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Use <c>queryAll</c>: include deleted and archived records.</summary>
    public bool IncludeDeleted { get; init; }
}

/// <summary>Options of sObject Collections writes.</summary>
public sealed record CollectionOptions
{
    /// <summary>Roll back the whole chunk (≤ 200 records) when one record fails. Applies per chunk.</summary>
    public bool AllOrNone { get; init; }

    /// <summary>Let Salesforce run assignment rules; by default writes send <c>Sforce-Auto-Assign: FALSE</c>.</summary>
    public bool UseAssignmentRules { get; init; }
}

/// <summary>Outcome of one record of a Collections call, in request order.</summary>
public sealed record SaveResult(int Index, string? Id, bool Success, bool? Created, IReadOnlyList<SalesforceError> Errors)
{
    /// <summary>The first error's code, or null on success.</summary>
    public string? ErrorCode => Errors.Count > 0 ? Errors[0].ErrorCode : null;
}

/// <summary>One entry of <c>GET /services/data/</c>.</summary>
public sealed record ApiVersionInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("url")] string Url);

/// <summary>One limit of <c>GET /limits</c>.</summary>
public sealed record OrgLimit(long Max, long Remaining)
{
    public long Used => Max - Remaining;
}

/// <summary>The org's limits from <c>GET /limits</c>, by name (<c>DailyApiRequests</c>, <c>DailyBulkV2QueryJobs</c>, …).</summary>
public sealed record OrgLimits(IReadOnlyDictionary<string, OrgLimit> Limits)
{
    public OrgLimit? DailyApiRequests => Limits.GetValueOrDefault("DailyApiRequests");
}

/// <summary>Result of <c>sobjects/{type}/updated</c>.</summary>
public sealed record UpdatedRecords(IReadOnlyList<string> Ids, DateTimeOffset LatestDateCovered);

public sealed record DeletedRecord(string Id, DateTimeOffset DeletedDate);

/// <summary>Result of <c>sobjects/{type}/deleted</c>.</summary>
public sealed record DeletedRecords(IReadOnlyList<DeletedRecord> Records, DateTimeOffset EarliestDateAvailable, DateTimeOffset LatestDateCovered);

/// <summary>Bulk API 2.0 ingest operations.</summary>
public enum BulkOperation
{
    Insert,
    Update,
    Upsert,
    Delete,
    HardDelete,
}

/// <summary>Options of a Bulk API 2.0 ingest.</summary>
public sealed record BulkIngestOptions
{
    /// <summary>Required for <see cref="BulkOperation.Upsert"/>.</summary>
    public string? ExternalIdField { get; init; }

    /// <summary>Assignment rule id to apply; none by default.</summary>
    public string? AssignmentRuleId { get; init; }
}

/// <summary>State of a Bulk API 2.0 job as last seen.</summary>
public sealed record BulkJobInfo(string Id, string State, string? SObjectType, string? Operation, long RecordsProcessed, long RecordsFailed, string? ErrorMessage);

/// <summary>A row of <c>successfulResults</c>: <c>sf__Id</c>, <c>sf__Created</c> and the submitted fields.</summary>
public sealed record BulkSuccessRow(string Id, bool Created, IReadOnlyDictionary<string, string?> Fields);

/// <summary>A row of <c>failedResults</c>: <c>sf__Id</c> (may be empty), <c>sf__Error</c> and the submitted fields.</summary>
public sealed record BulkFailedRow(string? Id, string Error, IReadOnlyDictionary<string, string?> Fields)
{
    /// <summary>The status code at the start of <c>sf__Error</c> (<c>REQUIRED_FIELD_MISSING:Required fields are missing…</c>).</summary>
    public string ErrorCode
    {
        get
        {
            var colon = Error.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? Error[..colon] : Error;
        }
    }
}

/// <summary>Outcome of a Bulk API 2.0 ingest, over all jobs it needed.</summary>
public sealed record BulkIngestResult(
    IReadOnlyList<BulkJobInfo> Jobs,
    IReadOnlyList<BulkSuccessRow> Successful,
    IReadOnlyList<BulkFailedRow> Failed,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> Unprocessed);

/// <summary>A Bulk API 2.0 query job created and not yet read: its id, object and when it was created.</summary>
public sealed record BulkQueryJob(string Id, string? SObjectType, DateTimeOffset CreatedAt);

/// <summary>Options of a Bulk API 2.0 query.</summary>
public sealed record BulkQueryOptions
{
    /// <summary><c>maxRecords</c> per result page; Salesforce chooses when null.</summary>
    public int? MaxRecordsPerPage { get; init; }

    /// <summary>Use <c>queryAll</c>: include deleted and archived records.</summary>
    public bool IncludeDeleted { get; init; }
}
