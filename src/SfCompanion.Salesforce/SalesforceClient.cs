using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SfCompanion.Salesforce;

/// <summary>The <see cref="ISalesforceClient"/> implementation over the Refit API.</summary>
public sealed partial class SalesforceClient : ISalesforceClient
{
    private readonly ISalesforceApi _api;
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SalesforceClient> _logger;
    private string? _resolvedVersion;

    internal SalesforceClient(ISalesforceApi api, IOptionsMonitor<SalesforceOptions> options, QuotaGuard quota, TimeProvider timeProvider, ILogger<SalesforceClient> logger)
    {
        _api = api;
        _options = options;
        Quota = quota;
        _time = timeProvider;
        _logger = logger;
    }

    public QuotaGuard Quota { get; }

    public CallCounter Calls => Quota.Calls;

    public ApiUsage? LastApiUsage => Quota.LastApiUsage;

    private SalesforceOptions Options => _options.CurrentValue;

    public async Task<IReadOnlyList<ApiVersionInfo>> GetVersionsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => _api.GetVersionsAsync(cancellationToken), SalesforceOperations.Versions, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<List<ApiVersionInfo>>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OrgLimits> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => _api.GetLimitsAsync(version, cancellationToken), SalesforceOperations.Limits, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        var limits = new Dictionary<string, OrgLimit>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object
                && property.Value.TryGetProperty("Max", out var max) && max.TryGetInt64(out var maxValue)
                && property.Value.TryGetProperty("Remaining", out var remaining) && remaining.TryGetInt64(out var remainingValue))
            {
                limits[property.Name] = new OrgLimit(maxValue, remainingValue);
            }
        }

        var result = new OrgLimits(limits);
        if (result.DailyApiRequests is { } daily)
        {
            Quota.RecordUsage(new ApiUsage(daily.Used, daily.Max, _time.GetUtcNow()));
        }

        return result;
    }

    public async Task<SObjectDescribe> DescribeAsync(string sobjectType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sobjectType);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(() => _api.DescribeAsync(version, sobjectType, cancellationToken), SalesforceOperations.Describe, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        return SObjectDescribe.Parse(doc.RootElement);
    }

    public async IAsyncEnumerable<SObjectRecord> QueryAsync(string soql, QueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in QueryPagesAsync<SObjectRecord>(soql, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }
        }
    }

    public async IAsyncEnumerable<T> QueryAsync<T>(string soql, QueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in QueryPagesAsync<T>(soql, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }
        }
    }

    public async IAsyncEnumerable<QueryPage<T>> QueryPagesAsync<T>(string soql, QueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var header = QueryOptionsHeader(options);
        var includeDeleted = options?.IncludeDeleted == true;
        var response = await SendAsync(
            () => _api.QueryAsync(version, includeDeleted ? "queryAll" : "query", soql, header, cancellationToken),
            includeDeleted ? SalesforceOperations.QueryAll : SalesforceOperations.Query,
            cancellationToken).ConfigureAwait(false);
        while (true)
        {
            QueryPage<T> page;
            using (response)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    page = await QueryPageParser.ParseAsync<T>(stream, cancellationToken).ConfigureAwait(false);
                }
            }

            yield return page;
            if (page.Done || string.IsNullOrEmpty(page.NextRecordsUrl))
            {
                yield break;
            }

            var next = RelativePath(page.NextRecordsUrl);
            response = await SendAsync(() => _api.QueryMoreAsync(next, header, cancellationToken), SalesforceOperations.QueryMore, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<int> CountAsync(string soql, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        await foreach (var page in QueryPagesAsync<SObjectRecord>(soql, options, cancellationToken).ConfigureAwait(false))
        {
            return page.TotalSize;
        }

        return 0;
    }

    public async Task<UpdatedRecords> GetUpdatedAsync(string sobjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sobjectType);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(
            () => _api.GetUpdatedAsync(version, sobjectType, ReplicationDate(start), ReplicationDate(end), cancellationToken),
            SalesforceOperations.Updated,
            cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        var ids = root.TryGetProperty("ids", out var idArray) ? idArray.EnumerateArray().Select(i => i.GetString()!).ToList() : [];
        return new UpdatedRecords(ids, ReadDate(root, "latestDateCovered") ?? end);
    }

    public async Task<DeletedRecords> GetDeletedAsync(string sobjectType, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sobjectType);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var response = await SendAsync(
            () => _api.GetDeletedAsync(version, sobjectType, ReplicationDate(start), ReplicationDate(end), cancellationToken),
            SalesforceOperations.Deleted,
            cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        var records = new List<DeletedRecord>();
        if (root.TryGetProperty("deletedRecords", out var deleted))
        {
            foreach (var item in deleted.EnumerateArray())
            {
                records.Add(new DeletedRecord(item.GetProperty("id").GetString()!, ReadDate(item, "deletedDate") ?? end));
            }
        }

        return new DeletedRecords(records, ReadDate(root, "earliestDateAvailable") ?? start, ReadDate(root, "latestDateCovered") ?? end);
    }

    private async ValueTask<string> VersionAsync(CancellationToken cancellationToken)
    {
        var configured = Options.ApiVersion;
        if (!string.Equals(configured, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return configured;
        }

        if (_resolvedVersion is { } known)
        {
            return known;
        }

        var versions = await GetVersionsAsync(cancellationToken).ConfigureAwait(false);
        var latest = versions
            .MaxBy(v => decimal.TryParse(v.Version, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : 0m)?.Version
            ?? throw new SalesforceException("The org reported no API versions.");
        _resolvedVersion = latest;
        return latest;
    }

    private string? QueryOptionsHeader(QueryOptions? options)
    {
        var batchSize = options?.BatchSize ?? (Options.DefaultQueryBatchSize == 2000 ? null : Options.DefaultQueryBatchSize);
        return batchSize is { } size ? string.Create(CultureInfo.InvariantCulture, $"batchSize={size}") : null;
    }

    private static string RelativePath(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : url;
        return path.TrimStart('/');
    }

    private static string ReplicationDate(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ReadDate(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && SalesforceDateTime.TryParse(value.GetString(), out var parsed)
            ? parsed
            : null;

    /// <summary>Sends through the Refit API and turns error responses into typed exceptions.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> call, string operation, CancellationToken cancellationToken)
    {
        var response = await RefitCalls.SendAsync(call).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw CreateException(operation, response.StatusCode, body);
        }
    }

    private SalesforceException CreateException(string operation, HttpStatusCode status, string body)
    {
        var errors = SalesforceErrorParser.Parse(status, body);
        var code = errors[0].ErrorCode;
        LogCallFailed(_logger, operation, (int)status, code);
        if (errors.Any(e => e.ErrorCode == "REQUEST_LIMIT_EXCEEDED"))
        {
            var until = Quota.RecordLimitExceeded();
            return new SalesforceBudgetExhaustedException(
                BudgetExhaustedReason.OrgLimitExceeded,
                $"Salesforce refused {operation} with REQUEST_LIMIT_EXCEEDED: {errors[0].Message}. Calls are paused until {until:u}.",
                Quota.LastApiUsage,
                until,
                new SalesforceApiException(operation, status, errors));
        }

        if (code is "INVALID_REPLICATION_DATE" or "EXCEEDED_ID_LIMIT")
        {
            return new SalesforceReplicationWindowException(operation, status, errors);
        }

        return new SalesforceApiException(operation, status, errors);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, SalesforceJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("Salesforce returned an empty body.");
        }
    }

    private static async Task<JsonDocument> ReadDocumentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce {Operation} failed with HTTP {Status} {ErrorCode}")]
    private static partial void LogCallFailed(ILogger logger, string operation, int status, string errorCode);
}
