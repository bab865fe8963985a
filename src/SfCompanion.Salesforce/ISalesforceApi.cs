using Refit;

namespace SfCompanion.Salesforce;

/// <summary>
/// Salesforce REST and Bulk API 2.0 endpoints. Every method returns the raw response so bodies can be
/// streamed and Salesforce error arrays mapped by <see cref="SalesforceClient"/>.
/// </summary>
internal interface ISalesforceApi
{
    [Get("/services/data/")]
    Task<HttpResponseMessage> GetVersionsAsync(CancellationToken cancellationToken);

    [Get("/services/data/v{version}/limits")]
    Task<HttpResponseMessage> GetLimitsAsync(string version, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/sobjects/{sobjectType}/describe")]
    Task<HttpResponseMessage> DescribeAsync(string version, string sobjectType, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/{resource}")]
    Task<HttpResponseMessage> QueryAsync(
        string version,
        string resource,
        [AliasAs("q")] string soql,
        [Header("Sforce-Query-Options")] string? queryOptions,
        CancellationToken cancellationToken);

    [Get("/{**nextRecordsUrl}")]
    Task<HttpResponseMessage> QueryMoreAsync(
        string nextRecordsUrl,
        [Header("Sforce-Query-Options")] string? queryOptions,
        CancellationToken cancellationToken);

    [Post("/services/data/v{version}/composite")]
    Task<HttpResponseMessage> CompositeAsync(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/composite/sobjects")]
    Task<HttpResponseMessage> CreateCollectionAsync(
        string version,
        [Body] HttpContent body,
        [Header("Sforce-Auto-Assign")] string autoAssign,
        CancellationToken cancellationToken);

    [Patch("/services/data/v{version}/composite/sobjects")]
    Task<HttpResponseMessage> UpdateCollectionAsync(
        string version,
        [Body] HttpContent body,
        [Header("Sforce-Auto-Assign")] string autoAssign,
        CancellationToken cancellationToken);

    [Patch("/services/data/v{version}/composite/sobjects/{sobjectType}/{externalIdField}")]
    Task<HttpResponseMessage> UpsertCollectionAsync(
        string version,
        string sobjectType,
        string externalIdField,
        [Body] HttpContent body,
        [Header("Sforce-Auto-Assign")] string autoAssign,
        CancellationToken cancellationToken);

    [Delete("/services/data/v{version}/composite/sobjects")]
    Task<HttpResponseMessage> DeleteCollectionAsync(
        string version,
        string ids,
        [AliasAs("allOrNone")] string allOrNone,
        CancellationToken cancellationToken);

    [Get("/services/data/v{version}/sobjects/{sobjectType}/updated/")]
    Task<HttpResponseMessage> GetUpdatedAsync(string version, string sobjectType, string start, string end, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/sobjects/{sobjectType}/deleted/")]
    Task<HttpResponseMessage> GetDeletedAsync(string version, string sobjectType, string start, string end, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/jobs/ingest")]
    Task<HttpResponseMessage> CreateIngestJobAsync(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Put("/services/data/v{version}/jobs/ingest/{jobId}/batches")]
    Task<HttpResponseMessage> UploadIngestDataAsync(string version, string jobId, [Body] HttpContent csv, CancellationToken cancellationToken);

    [Patch("/services/data/v{version}/jobs/ingest/{jobId}")]
    Task<HttpResponseMessage> SetIngestJobStateAsync(string version, string jobId, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/jobs/ingest/{jobId}")]
    Task<HttpResponseMessage> GetIngestJobAsync(string version, string jobId, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/jobs/ingest/{jobId}/{resultKind}/")]
    Task<HttpResponseMessage> GetIngestResultsAsync(string version, string jobId, string resultKind, CancellationToken cancellationToken);

    [Post("/services/data/v{version}/jobs/query")]
    Task<HttpResponseMessage> CreateQueryJobAsync(string version, [Body] HttpContent body, CancellationToken cancellationToken);

    [Patch("/services/data/v{version}/jobs/query/{jobId}")]
    Task<HttpResponseMessage> SetQueryJobStateAsync(string version, string jobId, [Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/jobs/query/{jobId}")]
    Task<HttpResponseMessage> GetQueryJobAsync(string version, string jobId, CancellationToken cancellationToken);

    [Get("/services/data/v{version}/jobs/query/{jobId}/results")]
    Task<HttpResponseMessage> GetQueryResultsAsync(string version, string jobId, string? locator, int? maxRecords, CancellationToken cancellationToken);
}

/// <summary>The OAuth 2.0 token endpoint of the login server.</summary>
internal interface ISalesforceOAuthApi
{
    [Post("/services/oauth2/token")]
    Task<HttpResponseMessage> RequestTokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);
}
