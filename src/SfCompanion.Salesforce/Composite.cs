using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SfCompanion.Salesforce;

/// <summary>
/// One subrequest of a Composite call (<c>POST /services/data/vXX.X/composite</c>). <see cref="Url"/> is either a full
/// path (<c>/services/data/v66.0/queryAll?q=…</c>) or relative to the versioned root (<c>queryAll?q=…</c>), which the
/// client completes with the API version it uses.
/// </summary>
public sealed partial record CompositeSubrequest
{
    /// <summary>GET, POST, PUT, PATCH or DELETE (case sensitive, as Salesforce expects).</summary>
    public required string Method { get; init; }

    public required string Url { get; init; }

    /// <summary>Letters, digits and underscores; unique in the call; names the subrequest's result.</summary>
    public required string ReferenceId { get; init; }

    /// <summary>The subrequest's body, serialized with <see cref="SalesforceJson.Options"/>; null for none.</summary>
    public object? Body { get; init; }

    /// <summary>Headers of the subrequest (not Accept, Authorization or Content-Type, which come from the call).</summary>
    public IReadOnlyDictionary<string, string>? HttpHeaders { get; init; }

    /// <summary>A <c>query</c> (or, with <paramref name="includeDeleted"/>, <c>queryAll</c>) subrequest.</summary>
    public static CompositeSubrequest Query(string referenceId, string soql, bool includeDeleted = false, int? batchSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        return new CompositeSubrequest
        {
            Method = "GET",
            Url = (includeDeleted ? "queryAll" : "query") + "?q=" + Uri.EscapeDataString(soql),
            ReferenceId = referenceId,
            HttpHeaders = BatchSizeHeader(batchSize),
        };
    }

    /// <summary>The next page of a query: a GET of its <c>nextRecordsUrl</c>.</summary>
    public static CompositeSubrequest QueryMore(string referenceId, string nextRecordsUrl, int? batchSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nextRecordsUrl);
        var path = Uri.TryCreate(nextRecordsUrl, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : nextRecordsUrl;
        return new CompositeSubrequest { Method = "GET", Url = path, ReferenceId = referenceId, HttpHeaders = BatchSizeHeader(batchSize) };
    }

    /// <summary>Whether Salesforce counts this subrequest among the 5 query or sObject Collections operations of a call.</summary>
    public bool IsQueryOrCollections => QueryOrCollectionsPattern().IsMatch(Url.Split('?')[0]);

    private static Dictionary<string, string>? BatchSizeHeader(int? batchSize) =>
        batchSize is { } size ? new Dictionary<string, string> { ["Sforce-Query-Options"] = string.Create(CultureInfo.InvariantCulture, $"batchSize={size}") } : null;

    [GeneratedRegex(@"(^|/)(query|queryAll)(/|$)|(^|/)composite/sobjects(/|$)")]
    private static partial Regex QueryOrCollectionsPattern();
}

/// <summary>Options of a Composite call.</summary>
public sealed record CompositeOptions
{
    /// <summary>When true, an error in one subrequest rolls the whole call back; the others answer 400 <c>PROCESSING_HALTED</c>.</summary>
    public bool AllOrNone { get; init; }

    /// <summary><c>collateSubrequests</c>; Salesforce's default (true since v49.0) when null.</summary>
    public bool? CollateSubrequests { get; init; }
}

/// <summary>The result of one subrequest, in request order.</summary>
public sealed record CompositeSubresponse(string ReferenceId, int HttpStatusCode, IReadOnlyDictionary<string, string> HttpHeaders, JsonElement Body)
{
    public bool IsSuccess => HttpStatusCode is >= 200 and < 300;

    /// <summary>Salesforce's errors for a failed subrequest (the body's error array); empty on success.</summary>
    public IReadOnlyList<SalesforceError> Errors => IsSuccess ? [] : SalesforceErrorParser.Parse((HttpStatusCode)HttpStatusCode, Body.ValueKind == JsonValueKind.Undefined ? null : Body.GetRawText());

    /// <summary>The body bound to <typeparamref name="T"/>; throws <see cref="SalesforceApiException"/> when the subrequest failed.</summary>
    public T Read<T>()
    {
        if (!IsSuccess)
        {
            throw ToException();
        }

        return Body.Deserialize<T>(SalesforceJson.Options) ?? throw new JsonException($"Subrequest '{ReferenceId}' returned an empty body.");
    }

    /// <summary>The failure as the exception a direct call would have thrown.</summary>
    public SalesforceApiException ToException() =>
        new(SalesforceOperations.Composite + ":" + ReferenceId, (HttpStatusCode)HttpStatusCode, Errors);
}

/// <summary>The results of a Composite call, in request order.</summary>
public sealed record CompositeResult(IReadOnlyList<CompositeSubresponse> Responses)
{
    public CompositeSubresponse this[string referenceId] =>
        Responses.FirstOrDefault(r => r.ReferenceId == referenceId) ?? throw new KeyNotFoundException($"No subrequest '{referenceId}' in the composite response.");
}

/// <summary>A query, or the next page of one, to send with others in Composite calls.</summary>
public sealed record CompositeQuery
{
    /// <summary>Names the query in its result (letters, digits, underscores).</summary>
    public required string ReferenceId { get; init; }

    /// <summary>The SOQL of a first page; null when <see cref="NextRecordsUrl"/> is set.</summary>
    public string? Soql { get; init; }

    /// <summary>The <c>nextRecordsUrl</c> of the previous page.</summary>
    public string? NextRecordsUrl { get; init; }

    public bool IncludeDeleted { get; init; }

    public int? BatchSize { get; init; }
}

/// <summary>A page of one query sent through Composite, or Salesforce's refusal of that query only.</summary>
public sealed record CompositeQueryResult<T>(string ReferenceId, QueryPage<T>? Page, SalesforceApiException? Error)
{
    public bool Success => Error is null;
}
