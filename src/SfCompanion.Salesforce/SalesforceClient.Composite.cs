using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SfCompanion.Salesforce;

public sealed partial class SalesforceClient
{
    /// <summary>At most this many subrequests per Composite call.</summary>
    public const int CompositeMaxSubrequests = 25;

    /// <summary>At most this many of them query (query, queryAll, next pages) or sObject Collections operations.</summary>
    public const int CompositeMaxQueries = 5;

    private static readonly string[] CompositeMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] InheritedHeaders = ["Accept", "Authorization", "Content-Type"];

    public async Task<CompositeResult> CompositeAsync(IReadOnlyList<CompositeSubrequest> subrequests, CompositeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ValidateComposite(subrequests);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var body = CompositeBody(subrequests, options ?? new CompositeOptions(), version);
        using var response = await SendAsync(() => _api.CompositeAsync(version, body, cancellationToken), SalesforceOperations.Composite, cancellationToken).ConfigureAwait(false);
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty("compositeResponse", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new SalesforceException("Salesforce answered the composite call without a compositeResponse array.");
        }

        var results = new List<CompositeSubresponse>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item.TryGetProperty("httpHeaders", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in h.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                }
            }

            results.Add(new CompositeSubresponse(
                item.TryGetProperty("referenceId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "",
                item.TryGetProperty("httpStatusCode", out var s) && s.TryGetInt32(out var status) ? status : 0,
                headers,
                item.TryGetProperty("body", out var b) ? b.Clone() : default));
        }

        if (results.Count != subrequests.Count)
        {
            throw new SalesforceException($"Salesforce returned {results.Count} composite results for {subrequests.Count} subrequests.");
        }

        return new CompositeResult(results);
    }

    public async Task<IReadOnlyList<CompositeQueryResult<T>>> QueryCompositeAsync<T>(IReadOnlyList<CompositeQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var results = new List<CompositeQueryResult<T>>(queries.Count);
        for (var start = 0; start < queries.Count; start += CompositeMaxQueries)
        {
            var chunk = queries.Skip(start).Take(CompositeMaxQueries).ToList();
            var subrequests = chunk.Select(q => q switch
            {
                { NextRecordsUrl: { } next } => CompositeSubrequest.QueryMore(q.ReferenceId, next, q.BatchSize),
                { Soql: { } soql } => CompositeSubrequest.Query(q.ReferenceId, soql, q.IncludeDeleted, q.BatchSize),
                _ => throw new ArgumentException($"Query '{q.ReferenceId}' has neither SOQL nor a nextRecordsUrl.", nameof(queries)),
            }).ToList();
            var answer = await CompositeAsync(subrequests, null, cancellationToken).ConfigureAwait(false);
            foreach (var response in answer.Responses)
            {
                results.Add(response.IsSuccess
                    ? new CompositeQueryResult<T>(response.ReferenceId, response.Read<QueryPage<T>>(), null)
                    : new CompositeQueryResult<T>(response.ReferenceId, null, response.ToException()));
            }
        }

        return results;
    }

    private static void ValidateComposite(IReadOnlyList<CompositeSubrequest> subrequests)
    {
        ArgumentNullException.ThrowIfNull(subrequests);
        if (subrequests.Count == 0)
        {
            throw new ArgumentException("A composite call needs at least one subrequest.", nameof(subrequests));
        }

        if (subrequests.Count > CompositeMaxSubrequests)
        {
            throw new ArgumentException(
                $"A composite call takes at most {CompositeMaxSubrequests} subrequests; {subrequests.Count} were given. Split them across calls.", nameof(subrequests));
        }

        var queries = subrequests.Where(s => s.IsQueryOrCollections).Select(s => s.ReferenceId).ToList();
        if (queries.Count > CompositeMaxQueries)
        {
            throw new ArgumentException(
                $"A composite call takes at most {CompositeMaxQueries} query or sObject Collections subrequests; {queries.Count} were given ({string.Join(", ", queries)}). Split them across calls.",
                nameof(subrequests));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in subrequests)
        {
            if (string.IsNullOrEmpty(s.ReferenceId) || !ReferenceIdPattern().IsMatch(s.ReferenceId))
            {
                throw new ArgumentException($"Reference id '{s.ReferenceId}' must be letters, digits and underscores only.", nameof(subrequests));
            }

            if (!seen.Add(s.ReferenceId))
            {
                throw new ArgumentException($"Reference id '{s.ReferenceId}' is used twice; each subrequest needs its own.", nameof(subrequests));
            }

            if (!CompositeMethods.Contains(s.Method, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Subrequest '{s.ReferenceId}' has method '{s.Method}'; use GET, POST, PUT, PATCH or DELETE.", nameof(subrequests));
            }

            if (s.HttpHeaders?.Keys.FirstOrDefault(k => InheritedHeaders.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } inherited)
            {
                throw new ArgumentException($"Subrequest '{s.ReferenceId}' sets {inherited}, which subrequests inherit from the composite call.", nameof(subrequests));
            }
        }
    }

    private static ByteArrayContent CompositeBody(IReadOnlyList<CompositeSubrequest> subrequests, CompositeOptions options, string version)
    {
        var buffer = new ArrayBufferWriter<byte>(subrequests.Count * 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", options.AllOrNone);
            if (options.CollateSubrequests is { } collate)
            {
                writer.WriteBoolean("collateSubrequests", collate);
            }

            writer.WriteStartArray("compositeRequest");
            foreach (var s in subrequests)
            {
                writer.WriteStartObject();
                writer.WriteString("method", s.Method);
                writer.WriteString("url", s.Url.StartsWith('/') ? s.Url : $"/services/data/v{version}/{s.Url}");
                writer.WriteString("referenceId", s.ReferenceId);
                if (s.HttpHeaders is { Count: > 0 } headers)
                {
                    writer.WriteStartObject("httpHeaders");
                    foreach (var (name, value) in headers)
                    {
                        writer.WriteString(name, value);
                    }

                    writer.WriteEndObject();
                }

                if (s.Body is not null)
                {
                    writer.WritePropertyName("body");
                    JsonSerializer.Serialize(writer, s.Body, s.Body.GetType(), SalesforceJson.Options);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        return content;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex ReferenceIdPattern();
}
