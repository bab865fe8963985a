using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Api;

/// <summary>
/// The Composite resource (<c>POST /composite</c>): up to 25 subrequests, at most 5 of them query or sObject
/// Collections operations, executed in order as the calling user, the whole counting as one API call. Later
/// subrequests may use <c>@{referenceId.path}</c> references to earlier results. Each subrequest runs through the
/// org's own resources (without latency, faults or counting of its own).
/// </summary>
internal static partial class Composite
{
    internal const string SubrequestHeader = "X-Sfc-Emulator-Subrequest";

    /// <summary>The user the composite call was authenticated as, passed to its subrequests with the secret.</summary>
    internal const string SubrequestUserHeader = "X-Sfc-Emulator-Subrequest-User";
    private const int MaxSubrequests = 25;
    private const int MaxQueries = 5;
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] InheritedHeaders = ["Accept", "Authorization", "Content-Type"];
    private static readonly HttpClient Loopback = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Marks the org's own subrequests so they are neither delayed, failed nor counted a second time.</summary>
    internal static readonly string SubrequestSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static void Map(RouteGroupBuilder v, SalesforceEmulator org)
    {
        v.MapGet("/composite", (HttpContext http) => SfJson.Ok(w =>
        {
            var version = RestApi.Version(http);
            w.WriteStartObject();
            w.WriteString("sobjects", $"/services/data/v{version}/composite/sobjects");
            w.WriteEndObject();
        }));
        v.MapPost("/composite", RestApi.Handler(http => ExecuteAsync(http, org)));
    }

    private sealed record Subrequest(string Method, string Url, string ReferenceId, JsonElement? Body, Dictionary<string, string> Headers);

    private static async Task<IResult> ExecuteAsync(HttpContext http, SalesforceEmulator org)
    {
        using var doc = await RestApi.ReadJsonAsync(http);
        var (subrequests, allOrNone) = Parse(doc.RootElement);
        var results = new List<(string ReferenceId, int Status, Dictionary<string, string> Headers, JsonNode? Body)>(subrequests.Count);
        var bodies = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var failed = false;
        foreach (var sub in subrequests)
        {
            if (allOrNone && failed)
            {
                results.Add((sub.ReferenceId, 400, [], Halted()));
                continue;
            }

            string url;
            string? body;
            try
            {
                url = Substitute(sub.Url, bodies, escape: true);
                body = sub.Body is { } b ? Substitute(b.GetRawText(), bodies, escape: false) : null;
            }
            catch (SalesforceApiException e)
            {
                results.Add((sub.ReferenceId, 400, [], ErrorBody(e.ErrorCode, e.Message)));
                failed = true;
                continue;
            }

            var (status, headers, responseBody) = await SendAsync(http, org, sub, url, body);
            results.Add((sub.ReferenceId, status, headers, responseBody));
            if (status is >= 200 and < 300)
            {
                bodies[sub.ReferenceId] = responseBody;
            }
            else
            {
                failed = true;
            }
        }

        if (allOrNone && failed)
        {
            // Salesforce rolls the transaction back and reports every other subrequest as halted. The emulator reports
            // the same but does not undo writes that earlier subrequests committed.
            var firstError = results.FindIndex(r => r.Status is < 200 or >= 300);
            for (var i = 0; i < results.Count; i++)
            {
                if (i != firstError)
                {
                    results[i] = (results[i].ReferenceId, 400, [], Halted());
                }
            }
        }

        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("compositeResponse");
            foreach (var (referenceId, status, headers, body) in results)
            {
                w.WriteStartObject();
                w.WritePropertyName("body");
                if (body is null)
                {
                    w.WriteNullValue();
                }
                else
                {
                    body.WriteTo(w);
                }

                w.WriteStartObject("httpHeaders");
                foreach (var (name, value) in headers)
                {
                    w.WriteString(name, value);
                }

                w.WriteEndObject();
                w.WriteNumber("httpStatusCode", status);
                w.WriteString("referenceId", referenceId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Checks the whole request before running any subrequest: Salesforce refuses it as a whole with 400.</summary>
    private static (List<Subrequest> Subrequests, bool AllOrNone) Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("compositeRequest", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new SalesforceApiException("JSON_PARSER_ERROR", "The request body must contain a compositeRequest array");
        }

        var allOrNone = root.TryGetProperty("allOrNone", out var a) && a.ValueKind == JsonValueKind.True;
        var count = array.GetArrayLength();
        if (count == 0)
        {
            throw new SalesforceApiException("INVALID_INPUT", "The compositeRequest array must contain at least one subrequest");
        }

        if (count > MaxSubrequests)
        {
            throw new SalesforceApiException("LIMIT_EXCEEDED", $"Composite request exceeds the maximum of {MaxSubrequests} subrequests: {count} were sent");
        }

        var list = new List<Subrequest>(count);
        var references = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var method = item.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
            var url = item.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
            var referenceId = item.TryGetProperty("referenceId", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            if (referenceId.Length == 0)
            {
                throw new SalesforceApiException("JSON_PARSER_ERROR", "Missing required field: referenceId");
            }

            if (!ReferenceIdPattern().IsMatch(referenceId))
            {
                throw new SalesforceApiException("INVALID_INPUT", $"Invalid referenceId: {referenceId}. A reference ID can contain only letters, numbers and underscores");
            }

            if (!references.Add(referenceId))
            {
                throw new SalesforceApiException("INVALID_INPUT", $"Duplicate referenceId provided in the request: {referenceId}");
            }

            if (!Methods.Contains(method, StringComparer.Ordinal))
            {
                throw new SalesforceApiException("INVALID_INPUT", $"Invalid method '{method}' for subrequest {referenceId}: use GET, POST, PUT, PATCH or DELETE");
            }

            if (!url.StartsWith("/services/data/v", StringComparison.Ordinal))
            {
                throw new SalesforceApiException("INVALID_INPUT", $"Invalid url '{url}' for subrequest {referenceId}: it must start with /services/data/vXX.X/");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item.TryGetProperty("httpHeaders", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in h.EnumerateObject())
                {
                    if (InheritedHeaders.Contains(header.Name, StringComparer.OrdinalIgnoreCase))
                    {
                        throw new SalesforceApiException("INVALID_INPUT", $"Subrequest {referenceId} can't set the {header.Name} header; it is inherited from the composite request");
                    }

                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                }
            }

            JsonElement? body = item.TryGetProperty("body", out var b) && b.ValueKind != JsonValueKind.Null ? b.Clone() : null;
            list.Add(new Subrequest(method, url, referenceId, body, headers));
        }

        var queries = list.Count(s => QueryOrCollectionsPattern().IsMatch(s.Url.Split('?')[0]));
        if (queries > MaxQueries)
        {
            throw new SalesforceApiException("LIMIT_EXCEEDED",
                $"Composite request can have at most {MaxQueries} query or sObject Collections subrequests: {queries} were sent");
        }

        return (list, allOrNone);
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, JsonNode? Body)> SendAsync(HttpContext http, SalesforceEmulator org, Subrequest sub, string url, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(sub.Method), org.BaseUrl + url);
        request.Headers.TryAddWithoutValidation("Authorization", http.Request.Headers.Authorization.ToString());
        request.Headers.TryAddWithoutValidation(SubrequestHeader, SubrequestSecret);
        request.Headers.TryAddWithoutValidation(SubrequestUserHeader, (string)http.Items[RestApi.UserKey]!);
        foreach (var (name, value) in sub.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        }

        using var response = await Loopback.SendAsync(request, http.RequestAborted);
        var text = await response.Content.ReadAsStringAsync(http.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (response.Headers.Location is { } location)
        {
            headers["Location"] = location.OriginalString;
        }

        JsonNode? node = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(text);
            }
        }

        return ((int)response.StatusCode, headers, node);
    }

    /// <summary>Replaces <c>@{referenceId.path}</c> with the value at that path in an earlier subrequest's result.</summary>
    private static string Substitute(string text, Dictionary<string, JsonNode?> bodies, bool escape) =>
        text.Contains("@{", StringComparison.Ordinal)
            ? ReferencePattern().Replace(text, match =>
            {
                var reference = match.Groups[1].Value;
                var path = match.Groups[2].Value;
                if (!bodies.TryGetValue(reference, out var node))
                {
                    throw new SalesforceApiException("PROCESSING_HALTED", $"Invalid reference specified. No value for {reference}.{path} found in {reference}. Provided referenceId ({reference}) must be a successful earlier subrequest.");
                }

                foreach (Match step in PathStepPattern().Matches(path))
                {
                    node = step.Groups[1].Success ? (node as JsonObject)?[step.Groups[1].Value] : (node as JsonArray) is { } arr && int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture) is var i && i < arr.Count ? arr[i] : null;
                }

                if (node is null)
                {
                    throw new SalesforceApiException("PROCESSING_HALTED", $"Invalid reference specified. No value for {reference}.{path} found in {reference}.");
                }

                var value = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
                return escape ? Uri.EscapeDataString(value) : JsonEncodedText.Encode(value).ToString();
            })
            : text;

    private static JsonArray Halted() => ErrorBody("PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.");

    private static JsonArray ErrorBody(string code, string message) =>
        [new JsonObject { ["errorCode"] = code, ["message"] = message }];

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex ReferenceIdPattern();

    [GeneratedRegex(@"@\{([A-Za-z0-9_]+)\.([^}]+)\}")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"([A-Za-z0-9_]+)|\[(\d+)\]")]
    private static partial Regex PathStepPattern();

    [GeneratedRegex(@"^/services/data/v[\d.]+/(query|queryAll|composite/sobjects)(/|$)")]
    private static partial Regex QueryOrCollectionsPattern();
}
