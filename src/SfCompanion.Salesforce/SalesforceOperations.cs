namespace SfCompanion.Salesforce;

/// <summary>Operation names used for call counts, metrics and errors.</summary>
public static class SalesforceOperations
{
    public const string AuthToken = "auth.token";
    public const string Versions = "versions";
    public const string Limits = "limits";
    public const string Describe = "sobjects.describe";
    public const string Query = "query";
    public const string QueryAll = "queryAll";
    public const string QueryMore = "queryMore";
    public const string Composite = "composite";
    public const string CollectionsCreate = "collections.create";
    public const string CollectionsUpdate = "collections.update";
    public const string CollectionsUpsert = "collections.upsert";
    public const string CollectionsDelete = "collections.delete";
    public const string BulkIngestCreate = "bulk.ingest.create";
    public const string BulkIngestUpload = "bulk.ingest.upload";
    public const string BulkIngestClose = "bulk.ingest.close";
    public const string BulkIngestStatus = "bulk.ingest.status";
    public const string BulkIngestResults = "bulk.ingest.results";
    public const string BulkQueryCreate = "bulk.query.create";
    public const string BulkQueryStatus = "bulk.query.status";
    public const string BulkQueryResults = "bulk.query.results";
    public const string Updated = "sobjects.updated";
    public const string Deleted = "sobjects.deleted";
    public const string Other = "other";

    /// <summary>Names the operation of a request from its method and path.</summary>
    public static string Classify(HttpMethod method, Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (uri is null)
        {
            return Other;
        }

        var path = (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0]).TrimEnd('/');
        if (path.EndsWith("/services/oauth2/token", StringComparison.Ordinal))
        {
            return AuthToken;
        }

        if (path.EndsWith("/services/data", StringComparison.Ordinal))
        {
            return Versions;
        }

        var marker = path.IndexOf("/services/data/v", StringComparison.Ordinal);
        if (marker < 0)
        {
            return Other;
        }

        var afterVersion = path.IndexOf('/', marker + "/services/data/v".Length);
        if (afterVersion < 0)
        {
            return Other;
        }

        var segments = path[(afterVersion + 1)..].Split('/');
        return segments switch
        {
            ["limits"] => Limits,
            ["query"] => Query,
            ["queryAll"] => QueryAll,
            ["query" or "queryAll", _] => QueryMore,
            ["composite"] when method == HttpMethod.Post => Composite,
            ["composite", "sobjects"] when method == HttpMethod.Post => CollectionsCreate,
            ["composite", "sobjects"] when method == HttpMethod.Patch => CollectionsUpdate,
            ["composite", "sobjects"] when method == HttpMethod.Delete => CollectionsDelete,
            ["composite", "sobjects", _, _] when method == HttpMethod.Patch => CollectionsUpsert,
            ["jobs", "ingest"] when method == HttpMethod.Post => BulkIngestCreate,
            ["jobs", "ingest", _, "batches"] => BulkIngestUpload,
            ["jobs", "ingest", _] when method == HttpMethod.Patch => BulkIngestClose,
            ["jobs", "ingest", _] => BulkIngestStatus,
            ["jobs", "ingest", _, _] => BulkIngestResults,
            ["jobs", "query"] when method == HttpMethod.Post => BulkQueryCreate,
            ["jobs", "query", _] => BulkQueryStatus,
            ["jobs", "query", _, "results"] => BulkQueryResults,
            ["sobjects", _, "describe"] => Describe,
            ["sobjects", _, "updated"] => Updated,
            ["sobjects", _, "deleted"] => Deleted,
            _ => Other,
        };
    }
}
