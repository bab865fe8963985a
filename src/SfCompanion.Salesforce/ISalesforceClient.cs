namespace SfCompanion.Salesforce;

/// <summary>
/// Salesforce REST and Bulk API 2.0 client. Every HTTP call is checked against the <see cref="Quota"/> first
/// (<see cref="SalesforceBudgetExhaustedException"/> when spent) and counted in <see cref="Calls"/>.
/// Failures are <see cref="SalesforceApiException"/> (with <c>errorCode</c>) or <see cref="SalesforceAuthException"/>.
/// </summary>
public interface ISalesforceClient
{
    /// <summary>Process-wide call counts per operation; runs have their own (<see cref="QuotaRun.Calls"/>).</summary>
    CallCounter Calls { get; }

    /// <summary>Last <c>Sforce-Limit-Info</c> (or <c>/limits</c>) usage seen.</summary>
    ApiUsage? LastApiUsage { get; }

    QuotaGuard Quota { get; }

    /// <summary>Streams a SOQL query's records page by page (<c>nextRecordsUrl</c> until <c>done</c>); one page is in memory at a time.</summary>
    IAsyncEnumerable<SObjectRecord> QueryAsync(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams records bound to <typeparamref name="T"/> with <see cref="SalesforceJson.Options"/>.</summary>
    IAsyncEnumerable<T> QueryAsync<T>(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams whole pages (for progress reporting and resumable syncs).</summary>
    IAsyncEnumerable<QueryPage<T>> QueryPagesAsync<T>(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs <c>SELECT COUNT() FROM …</c> (or any query) and returns <c>totalSize</c> with one call.</summary>
    Task<int> CountAsync(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates records (each needs <see cref="SObjectRecord.Type"/>) in chunks of 200. Never retried blindly.</summary>
    Task<IReadOnlyList<SaveResult>> CreateAsync(IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Updates records by <c>Id</c> in chunks of 200.</summary>
    Task<IReadOnlyList<SaveResult>> UpdateAsync(IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Upserts records of one type by an external id field in chunks of 200.</summary>
    Task<IReadOnlyList<SaveResult>> UpsertAsync(string sobjectType, string externalIdField, IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes records by id in chunks of 200.</summary>
    Task<IReadOnlyList<SaveResult>> DeleteAsync(IReadOnlyList<string> ids, CollectionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bulk API 2.0 ingest of field bags. Columns are every field any record has; <c>null</c> and empty values are
    /// sent as <c>#N/A</c> (set the field to null), a field a record does not have is left unchanged. Inputs above
    /// <see cref="SalesforceOptions.BulkMaxUploadBytes"/> are split across jobs.
    /// </summary>
    Task<BulkIngestResult> BulkIngestAsync(string sobjectType, BulkOperation operation, IEnumerable<SObjectRecord> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Bulk API 2.0 ingest of a CSV stream (header row first, comma-separated, UTF-8).</summary>
    Task<BulkIngestResult> BulkIngestCsvAsync(string sobjectType, BulkOperation operation, Stream csv, BulkIngestOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a Bulk API 2.0 query job and streams its CSV result pages as string-valued records.</summary>
    IAsyncEnumerable<SObjectRecord> BulkQueryAsync(string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a Bulk API 2.0 query job (one call) without waiting for it: Salesforce runs it while the caller does
    /// other work, then <see cref="ReadBulkQueryAsync"/> waits for it and streams its result. The job reads the org as
    /// it is when Salesforce runs it, from about the time it is created.
    /// </summary>
    Task<BulkQueryJob> StartBulkQueryAsync(string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Waits for a job started by <see cref="StartBulkQueryAsync"/> and streams its CSV result pages as string-valued records.</summary>
    IAsyncEnumerable<SObjectRecord> ReadBulkQueryAsync(BulkQueryJob job, BulkQueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Aborts a query job that will not be read (one call).</summary>
    Task AbortBulkQueryAsync(BulkQueryJob job, CancellationToken cancellationToken = default);

    /// <summary>Ids of records of <paramref name="sobjectType"/> changed in [start, end] (at most 30 days back).</summary>
    Task<UpdatedRecords> GetUpdatedAsync(string sobjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>Records of <paramref name="sobjectType"/> deleted in [start, end] (at most 30 days back).</summary>
    Task<DeletedRecords> GetDeletedAsync(string sobjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends up to 25 subrequests (at most 5 query or sObject Collections ones) in one Composite call, which counts as
    /// one API call. A refused subrequest is reported in its own result; the limits are checked before sending
    /// (<see cref="ArgumentException"/>).
    /// </summary>
    Task<CompositeResult> CompositeAsync(IReadOnlyList<CompositeSubrequest> subrequests, CompositeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends queries (first pages or next pages) through Composite, 5 per call; each result is its page or Salesforce's
    /// refusal of that query alone.
    /// </summary>
    Task<IReadOnlyList<CompositeQueryResult<T>>> QueryCompositeAsync<T>(IReadOnlyList<CompositeQuery> queries, CancellationToken cancellationToken = default);

    Task<OrgLimits> GetLimitsAsync(CancellationToken cancellationToken = default);

    /// <summary>An object's fields with their types, references and picklist values (<c>GET sobjects/{type}/describe</c>, one API call).</summary>
    Task<SObjectDescribe> DescribeAsync(string sobjectType, CancellationToken cancellationToken = default);

    /// <summary>API versions the org offers (<c>GET /services/data/</c>).</summary>
    Task<IReadOnlyList<ApiVersionInfo>> GetVersionsAsync(CancellationToken cancellationToken = default);
}
