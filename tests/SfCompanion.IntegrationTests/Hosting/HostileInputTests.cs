using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>
/// Walks the service's own OpenAPI document and sends every operation hostile input, with the admin key and without a
/// key: malformed JSON, a wrong type for each body property, a body over the limit, huge, confusable, traversing and NUL
/// ids in path and query parameters, missing required parameters and duplicated query parameters. Every answer must be a
/// 4xx <c>application/problem+json</c> that names the problem, with no stack trace or exception type, and the store must
/// be the same afterwards.
/// </summary>
public sealed partial class HostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Already URL-encoded path or query values no valid request carries.</summary>
    private static readonly (string Name, string Raw)[] HostileValues =
    [
        ("huge id", new string('a', 4000)),
        ("huge number", new string('9', 40)),
        ("confusable id (Cyrillic a)", Uri.EscapeDataString("\u0430dmin")),
        ("confusable id (fullwidth)", Uri.EscapeDataString("ｓｙｎｃ００１")),
        ("path traversal", "..%2f..%2fetc%2fpasswd"),
        ("upper-case encoded traversal", "%2E%2E%2F%2E%2E%2F"),
        ("encoded NUL", "a%00b"),
        ("lone encoded NUL", "%00"),
        ("invalid UTF-8", "%C3%28"),
    ];

    /// <summary>Larger than every endpoint's limit (imports included); sent with its length declared, never buffered whole.</summary>
    private const long HugeBodyBytes = 40L * 1024 * 1024;

    [Fact]
    public async Task Every_operation_answers_hostile_input_with_a_problem_naming_it_and_changes_nothing()
    {
        await using var host = new SfcTestHost().WithEmulator();
        await host.StartAsync();
        var operations = await OperationsAsync(host);
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");

        // Warm up: the admin key's "last used" time is written once, and the consent salt generated on first use, before the snapshot.
        (await host.Admin.GetAsync("/api/keys", Ct)).EnsureSuccessStatusCode();
        _ = host.Get<SfCompanion.Consent.ConsentService>();
        var before = Snapshot(host);
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in operations)
        {
            foreach (var attempt in Attempts(operation).Where(a => a.Kind != "valid"))
            {
                sent++;
                using var request = attempt.Build();
                using var response = await host.Admin.SendAsync(request, Ct);
                await CheckAsync(response, attempt, failures);
            }
        }

        var after = Snapshot(host);
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests were answered wrongly:{Environment.NewLine}" + string.Join(Environment.NewLine, failures));
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Without_a_key_every_operation_answers_401_problem_whatever_it_is_sent()
    {
        await using var host = new SfcTestHost();
        var operations = await OperationsAsync(host);
        var before = Snapshot(host);
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            foreach (var attempt in Attempts(operation).Where(a => a.Kind is "valid" or "malformed JSON" or "huge id" or "path traversal" or "encoded NUL" or "huge body"))
            {
                using var request = attempt.Build();
                using var response = await host.Anonymous.SendAsync(request, Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                // A body over the limit is refused before the key is looked at (nothing is read), and a path no route takes
                // (a route constraint such as {version:int}) is not an endpoint at all; anything else needs the key.
                var expected = response.StatusCode == HttpStatusCode.Unauthorized
                    || (attempt.Kind == "huge body" && response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
                    || (response.StatusCode == HttpStatusCode.NotFound && body.Contains("Nothing is served at", StringComparison.Ordinal));
                if (!expected)
                {
                    failures.Add($"{attempt}: {(int)response.StatusCode} instead of 401: {Shorten(body)}");
                }

                CheckBody(response, body, attempt, failures);
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(before, Snapshot(host));
    }

    [Fact]
    public async Task Problems_name_the_field_the_parameter_and_the_limit()
    {
        await using var host = new SfcTestHost();

        using var wrongType = await host.Admin.PostAsync("/api/keys", Json("""{"name": 42, "role": "viewer"}"""), Ct);
        var problem = await ProblemAsync(wrongType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("Field 'name' has a value of the wrong type (line 1, byte 12): expected ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("name", problem.GetProperty("field").GetString());

        using var schedule = await host.Admin.PutAsync("/api/jobs/sync/schedule", Json("""{"cron": ["0 * * * *"]}"""), Ct);
        Assert.Contains("'cron'", (await ProblemAsync(schedule)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var malformed = await host.Admin.PostAsync("/api/keys", Json("""{"name": """), Ct);
        Assert.Contains("not well-formed JSON", (await ProblemAsync(malformed)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var badNumber = await host.Admin.GetAsync("/api/outbox?limit=lots", Ct);
        var detail = (await ProblemAsync(badNumber)).GetProperty("detail").GetString();
        Assert.Equal("Failed to bind parameter 'limit' from \"lots\".", detail);

        using var tooLarge = await host.Admin.PostAsync("/api/keys", Json("{\"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}"), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var limit = await ProblemAsync(tooLarge);
        Assert.Equal(1024 * 1024, limit.GetProperty("limitBytes").GetInt64());
        Assert.StartsWith("POST /api/keys accepts a body of at most 1048576 bytes (1 MiB); this one has", limit.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var import = await host.Admin.PostAsync("/api/consent/import", new ByteArrayContent(new byte[(32 * 1024 * 1024) + 1]) { Headers = { { "Content-Type", "application/json" } } }, Ct);
        Assert.Equal(32L * 1024 * 1024, (await ProblemAsync(import)).GetProperty("limitBytes").GetInt64());
    }

    [Fact]
    public async Task An_encoded_NUL_in_the_path_is_refused_by_the_server_before_any_endpoint()
    {
        await using var host = new SfcTestHost().WithKestrel();
        await host.StartAsync();
        var before = Snapshot(host);
        using var client = host.ClientWithKey(SfcTestHost.AdminKey);
        foreach (var path in new[] { "/api/rules/a%00b", "/api/keys/%00", "/p/%00", "/r/a%00b?t=x" })
        {
            using var response = await client.DeleteAsync(path, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotMatch(LeakPattern(), body);
        }

        Assert.Equal(before, Snapshot(host));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    private static async Task CheckAsync(HttpResponseMessage response, Attempt attempt, List<string> failures)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        if (status is < 400 or >= 500)
        {
            failures.Add($"{attempt}: {status}: {Shorten(body)}");
            return;
        }

        if (!CheckBody(response, body, attempt, failures))
        {
            return;
        }

        var problem = JsonNode.Parse(body)!;
        var text = (problem["detail"]?.ToString() ?? string.Empty) + " " + (problem["errors"]?.ToJsonString() ?? string.Empty) + " " + (problem["field"]?.ToString() ?? string.Empty)
            + " " + (problem["problems"]?.ToJsonString() ?? string.Empty);
        if (string.IsNullOrWhiteSpace(problem["detail"]?.ToString()) && problem["errors"] is null)
        {
            failures.Add($"{attempt}: {status} problem without a detail: {Shorten(body)}");
        }
        else if (attempt.Kind == "huge body" && (status != 413 || problem["limitBytes"] is null))
        {
            failures.Add($"{attempt}: {status} instead of 413 with limitBytes: {Shorten(body)}");
        }
        else if (attempt.Names is { } name && status != 404 && !text.Contains(name, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{attempt}: {status} does not name '{name}': {Shorten(body)}");
        }
    }

    /// <summary>problem+json, no stack trace, no exception type; false (and a failure) otherwise.</summary>
    private static bool CheckBody(HttpResponseMessage response, string body, Attempt attempt, List<string> failures)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            failures.Add($"{attempt}: {(int)response.StatusCode} answered '{response.Content.Headers.ContentType}' instead of application/problem+json: {Shorten(body)}");
            return false;
        }

        if (LeakPattern().Match(body) is { Success: true } leak)
        {
            failures.Add($"{attempt}: {(int)response.StatusCode} shows '{leak.Value}': {Shorten(body)}");
            return false;
        }

        return true;
    }

    private static string Shorten(string body) => body.Length > 300 ? body[..300] + "…" : body;

    /// <summary>Everything the store holds, by version: documents, log heads, cursors and counters.</summary>
    private static List<string> Snapshot(SfcTestHost host)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "sfcompanion.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT 'doc ' || kind || '/' || key || ' v' || version FROM documents ORDER BY kind, key",
            "SELECT 'log ' || log || ' #' || MAX(seq) FROM logs GROUP BY log ORDER BY log",
            "SELECT 'head ' || log || ' #' || last_seq FROM log_heads ORDER BY log",
            "SELECT 'cursor ' || log || '/' || consumer || ' #' || seq FROM log_cursors ORDER BY log, consumer",
            "SELECT 'counter ' || name || ' = ' || value FROM counters ORDER BY name",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(reader.GetString(0));
            }
        }

        return rows;
    }

    private static async Task<List<Operation>> OperationsAsync(SfcTestHost host)
    {
        var document = JsonNode.Parse(await host.Anonymous.GetStringAsync("/openapi/v1.json", Ct))!;
        var schemas = document["components"]?["schemas"]?.AsObject();
        var list = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, op) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "delete" or "patch"))
                {
                    continue;
                }

                var parameters = (op!["parameters"]?.AsArray() ?? []).Select(p => new Parameter(
                    p!["name"]!.ToString(), p["in"]!.ToString(), p["required"]?.GetValue<bool>() == true, Resolve(p["schema"], schemas))).ToList();
                var bodySchema = Resolve(op["requestBody"]?["content"]?["application/json"]?["schema"], schemas);
                var properties = bodySchema?["properties"]?.AsObject().Select(p => (p.Key, Resolve(p.Value, schemas))).ToList() ?? [];
                list.Add(new Operation(method.ToUpperInvariant(), path, op["operationId"]?.ToString() ?? path, parameters, op["requestBody"] is not null, properties!));
            }
        }

        return list;
    }

    private static JsonNode? Resolve(JsonNode? schema, JsonObject? schemas)
    {
        for (var depth = 0; depth < 5 && schema?["$ref"] is { } reference; depth++)
        {
            schema = schemas?[reference.ToString().Split('/')[^1]];
        }

        return schema;
    }

    private static IEnumerable<Attempt> Attempts(Operation operation)
    {
        const string validBody = "{}";
        yield return new Attempt(operation, "valid", null, Values(operation), validBody);
        foreach (var path in operation.Parameters.Where(p => p.In == "path"))
        {
            // An encoded NUL in the path never reaches the application: the server refuses the request line (see below).
            foreach (var (name, raw) in HostileValues.Where(v => !v.Raw.Contains("%00", StringComparison.Ordinal)))
            {
                yield return new Attempt(operation, name, null, Values(operation, (path.Name, raw)), validBody) { Detail = $"path {path.Name}" };
            }
        }

        foreach (var query in operation.Parameters.Where(p => p.In == "query"))
        {
            foreach (var (name, raw) in HostileValues)
            {
                yield return new Attempt(operation, name, query.Name, Values(operation, (query.Name, raw)), validBody) { Detail = $"query {query.Name}" };
            }

            yield return new Attempt(operation, "duplicated query parameter", query.Name, Values(operation, (query.Name, "1&" + query.Name + "=2")), validBody) { Detail = $"query {query.Name}" };
            if (query.Required)
            {
                yield return new Attempt(operation, "missing required parameter", query.Name, Values(operation, (query.Name, null)), validBody) { Detail = $"query {query.Name}" };
            }
        }

        if (!operation.HasBody)
        {
            yield return new Attempt(operation, "huge body", null, Values(operation), null) { HugeBody = true };
            yield break;
        }

        yield return new Attempt(operation, "malformed JSON", null, Values(operation), """{"name": """);
        yield return new Attempt(operation, "not JSON at all", null, Values(operation), "name=x&role=admin") { ContentType = "application/x-www-form-urlencoded" };
        yield return new Attempt(operation, "missing body", null, Values(operation), null);
        yield return new Attempt(operation, "huge body", null, Values(operation), null) { HugeBody = true };
        foreach (var (property, schema) in operation.Properties)
        {
            if (schema?["readOnly"]?.GetValue<bool>() != true && WrongValue(schema) is { } wrong)
            {
                yield return new Attempt(operation, "wrong type", property, Values(operation), $"{{\"{property}\": {wrong}}}") { Detail = $"body {property}" };
            }
        }
    }

    /// <summary>A JSON value of another type than the property's.</summary>
    private static string? WrongValue(JsonNode? schema)
    {
        var types = schema?["type"] switch
        {
            JsonArray array => array.Select(t => t!.ToString()).ToList(),
            JsonValue value => [value.ToString()],
            _ => schema?["enum"] is not null || schema?["properties"] is not null ? ["object"] : [],
        };
        types.Remove("null");
        return types.FirstOrDefault() switch
        {
            "string" when schema?["enum"] is not null => "[1]",
            "string" => "12345",
            "integer" or "number" => "\"not a number\"",
            "boolean" => "\"not a boolean\"",
            "array" => "\"not an array\"",
            "object" => "[1]",
            _ => null,
        };
    }

    /// <summary>Path and query values: a plausible one for each, with <paramref name="replace"/> (raw, already encoded; null omits it).</summary>
    private static Dictionary<string, string?> Values(Operation operation, (string Name, string? Raw)? replace = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var parameter in operation.Parameters.Where(p => p.In == "path" || (p.In == "query" && p.Required)))
        {
            values[parameter.Name] = parameter.Schema?["type"]?.ToString().Contains("integer", StringComparison.Ordinal) == true ? "1" : "x";
        }

        if (replace is { } r)
        {
            values[r.Name] = r.Raw;
        }

        return values;
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b|\bat [A-Za-z_.`<>]+\(|\bSystem\.[A-Z][A-Za-z.`]+|\bMicrosoft\.[A-Z][A-Za-z.]+|\bSfCompanion\.[A-Z][A-Za-z.]+")]
    private static partial Regex LeakPattern();

    private sealed record Parameter(string Name, string In, bool Required, JsonNode? Schema);

    private sealed record Operation(string Method, string Path, string Id, List<Parameter> Parameters, bool HasBody, List<(string Name, JsonNode? Schema)> Properties);

    /// <summary>One request: the operation, what is hostile about it, the name its problem must mention (if any).</summary>
    private sealed record Attempt(Operation Operation, string Kind, string? Names, Dictionary<string, string?> Values, string? Body)
    {
        public string? Detail { get; init; }

        public string ContentType { get; init; } = "application/json";

        public bool HugeBody { get; init; }

        public string Url
        {
            get
            {
                var path = Operation.Path;
                var query = new List<string>();
                foreach (var (name, value) in Values)
                {
                    if (path.Contains("{" + name + "}", StringComparison.Ordinal))
                    {
                        path = path.Replace("{" + name + "}", value ?? string.Empty, StringComparison.Ordinal);
                    }
                    else if (value is not null)
                    {
                        query.Add(name + "=" + value);
                    }
                }

                return query.Count == 0 ? path : path + "?" + string.Join("&", query);
            }
        }

        public HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(new HttpMethod(Operation.Method), Url);
            if (HugeBody)
            {
                request.Content = new StreamContent(new ZeroStream(HugeBodyBytes));
                request.Content.Headers.ContentLength = HugeBodyBytes;
                request.Content.Headers.ContentType = new("application/json");
            }
            else if (Body is not null && Operation.HasBody)
            {
                request.Content = new StringContent(Body, Encoding.UTF8, ContentType);
            }

            return request;
        }

        public override string ToString() => $"{Operation.Method} {Operation.Path} [{Kind}{(Detail is null ? string.Empty : " in " + Detail)}]";
    }

    /// <summary>A stream of <c>length</c> spaces, produced as read.</summary>
    private sealed class ZeroStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
