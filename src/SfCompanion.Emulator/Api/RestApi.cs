using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SfCompanion.Emulator.Bulk;
using SfCompanion.Emulator.Model;
using SfCompanion.Emulator.Soql;

namespace SfCompanion.Emulator.Api;

/// <summary>The REST resources under /services/data and the OAuth token endpoint.</summary>
internal static partial class RestApi
{
    internal const string VersionKey = "sf.version";
    internal const string UserKey = "sf.user";
    internal static readonly string[] Patch = ["PATCH"];
    private static readonly string[] ResourceNames = ["sobjects", "query", "queryAll", "limits", "composite", "jobs"];
    private static readonly string[] ObjectFlags = ["createable", "updateable", "deletable", "queryable", "retrieveable", "searchable", "replicateable", "layoutable"];
    private static readonly string[] DescribeFlags = ["createable", "updateable", "deletable", "queryable", "retrieveable", "searchable", "replicateable", "undeletable"];

    /// <summary>Marks a lambda as a route handler whose IResult is written (a bare HttpContext lambda would be a RequestDelegate).</summary>
    internal static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    public static void Map(WebApplication app, SalesforceEmulator org)
    {
        // Clients that keep the instance URL with a trailing slash (the Salesforce CLI) send //services/…; Salesforce
        // answers those as if the slashes were one, so the path is normalised before routing.
        app.Use((http, next) =>
        {
            if (http.Request.Path.Value is { } path && path.Contains("//", StringComparison.Ordinal))
            {
                http.Request.Path = new PathString(RepeatedSlashes().Replace(path, "/"));
            }

            return next(http);
        });
        app.UseRouting();
        app.Use((http, next) => GovernAsync(http, next, org));
        app.MapPost("/services/oauth2/token", (HttpRequest request, CancellationToken ct) => org.Tokens.HandleTokenRequestAsync(request, ct));
        AuthorizeEndpoint.Map(app, org);
        app.MapGet("/services/data", () => Versions(org));

        app.MapGet("/id/{orgId}/{userId}", (HttpContext http, string orgId, string userId) => Identity(http, org, userId));
        app.MapGet("/services/oauth2/userinfo", (HttpContext http) => Identity(http, org, null));

        var v = app.MapGroup("/services/data/v{version}");
        v.MapGet("/", (HttpContext http) => Resources(Version(http)));
        v.MapGet("/limits", () => Limits(org));
        v.MapGet("/sobjects", (HttpContext http) => DescribeGlobal(org, Version(http)));
        v.MapGet("/sobjects/{type}", (HttpContext http, string type) => BasicInfo(org, Version(http), type));
        v.MapPost("/sobjects/{type}", (HttpContext http, string type) => CreateAsync(http, org, type));
        v.MapGet("/sobjects/{type}/describe", (HttpContext http, string type) => Describe(org, Version(http), type));
        v.MapGet("/sobjects/{type}/updated", (HttpContext http, string type) => Replication.Updated(http, org, type));
        v.MapGet("/sobjects/{type}/deleted", (HttpContext http, string type) => Replication.Deleted(http, org, type));
        v.MapGet("/sobjects/{type}/{id}", (HttpContext http, string type, string id) => Retrieve(http, org, type, id));
        v.MapMethods("/sobjects/{type}/{id}", Patch, (HttpContext http, string type, string id) => UpdateAsync(http, org, type, id));
        v.MapDelete("/sobjects/{type}/{id}", (HttpContext http, string type, string id) => Delete(org, type, id));
        v.MapGet("/sobjects/{type}/{field}/{value}", (HttpContext http, string type, string field, string value) => RetrieveByExternalId(http, org, type, field, value));
        v.MapMethods("/sobjects/{type}/{field}/{value}", Patch, (HttpContext http, string type, string field, string value) => UpsertAsync(http, org, type, field, value));
        v.MapGet("/query", (HttpContext http) => Query(http, org, queryAll: false));
        v.MapGet("/queryAll", (HttpContext http) => Query(http, org, queryAll: true));
        v.MapGet("/query/{locator}", (HttpContext http, string locator) => QueryMore(http, org, locator, "query"));
        v.MapGet("/queryAll/{locator}", (HttpContext http, string locator) => QueryMore(http, org, locator, "queryAll"));
        Collections.Map(v, org);
        Composite.Map(v, org);
        BulkApi.Map(v, org);
    }

    internal static string Version(HttpContext http) => (string)http.Items[VersionKey]!;

    private static async Task GovernAsync(HttpContext http, RequestDelegate next, SalesforceEmulator org)
    {
        var path = http.Request.Path.Value ?? "";
        var match = VersionPattern().Match(path);
        if (!match.Success)
        {
            await next(http);
            return;
        }

        http.Response.OnStarting(() =>
        {
            http.Response.Headers["Sforce-Limit-Info"] = org.Limits.Header;
            return Task.CompletedTask;
        });
        var version = match.Groups[1].Value;
        var number = double.Parse(version, CultureInfo.InvariantCulture);
        if (number < 20 || number > org.Options.MaxApiVersion)
        {
            await SfJson.Error(404, "NOT_FOUND", "The requested resource does not exist").ExecuteAsync(http);
            return;
        }

        http.Items[VersionKey] = version;
        var user = org.Tokens.Validate(http.Request.Headers.Authorization.ToString());
        if (user is null)
        {
            http.Response.Headers.WWWAuthenticate = "Token";
            await SfJson.Error(401, "INVALID_SESSION_ID", "Session expired or invalid").ExecuteAsync(http);
            return;
        }

        http.Items[UserKey] = user;
        if (http.Request.Headers[Composite.SubrequestHeader] == Composite.SubrequestSecret)
        {
            // A subrequest of a composite call the org is running: the composite call was delayed and counted once.
            await RunAsync(http, next);
            return;
        }

        var delay = TimeSpan.FromMilliseconds(org.Faults.NextLatencyMs(org.Options.LatencyMinMs, org.Options.LatencyMaxMs)) + org.Faults.NextSlowDelay();
        if (delay > TimeSpan.Zero)
        {
            // Latency models the network to a real org, which runs on wall-clock time whatever clock the org uses.
            await Task.Delay(delay, TimeProvider.System, http.RequestAborted);
        }

        if (org.Faults.NextFailure() is { } status)
        {
            await (status == 503
                ? SfJson.Error(503, "SERVER_UNAVAILABLE", "Service Unavailable: the server is temporarily unable to handle the request")
                : SfJson.Error(status, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (-000000000)")).ExecuteAsync(http);
            return;
        }

        if (!org.Limits.TryConsume())
        {
            await SfJson.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.").ExecuteAsync(http);
            return;
        }

        await RunAsync(http, next);
    }

    private static async Task RunAsync(HttpContext http, RequestDelegate next)
    {
        try
        {
            await next(http);
        }
        catch (SalesforceApiException e) when (!http.Response.HasStarted)
        {
            await SfJson.Error(e).ExecuteAsync(http);
        }
        catch (JsonException e) when (!http.Response.HasStarted)
        {
            await SfJson.Error(400, "JSON_PARSER_ERROR", e.Message).ExecuteAsync(http);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted)
        {
            await SfJson.Error(400, "JSON_PARSER_ERROR", e.Message).ExecuteAsync(http);
        }
    }

    /// <summary>The identity URL returned with tokens, and userinfo: who the token belongs to.</summary>
    private static IResult Identity(HttpContext http, SalesforceEmulator org, string? userId)
    {
        var tokenUser = org.Tokens.Validate(http.Request.Headers.Authorization.ToString());
        if (tokenUser is null || (userId is not null && org.Data.Find(userId)?.Id != tokenUser))
        {
            return SfJson.Error(403, "Bad_OAuth_Token", "Bad_OAuth_Token");
        }

        var user = org.Data.Find(tokenUser)!;
        var id = $"{org.BaseUrl}/id/{org.Data.OrganizationId}/{user.Id}";
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("user_id", user.Id);
            w.WriteString("organization_id", org.Data.OrganizationId);
            if (userId is null)
            {
                // userinfo (OpenID Connect) names the user as OIDC does, next to Salesforce's own keys.
                w.WriteString("sub", id);
                w.WriteString("name", user["Name"] as string);
                w.WriteString("given_name", user["FirstName"] as string);
                w.WriteString("family_name", user["LastName"] as string);
                w.WriteString("nickname", user["Alias"] as string);
                w.WriteBoolean("email_verified", true);
                w.WriteString("zoneinfo", "Europe/Paris");
            }

            w.WriteString("username", user["Username"] as string);
            w.WriteString("preferred_username", user["Username"] as string);
            w.WriteString("display_name", user["Name"] as string);
            w.WriteString("email", user["Email"] as string);
            w.WriteBoolean("active", user["IsActive"] is true);
            w.WriteString("user_type", "STANDARD");
            w.WriteString("language", "fr");
            w.WriteString("locale", "fr_FR");
            w.WriteNumber("utcOffset", 0);
            w.WriteStartObject("urls");
            w.WriteString("rest", $"{org.BaseUrl}/services/data/v{{version}}/");
            w.WriteString("sobjects", $"{org.BaseUrl}/services/data/v{{version}}/sobjects/");
            w.WriteString("query", $"{org.BaseUrl}/services/data/v{{version}}/query/");

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex RepeatedSlashes();

    [GeneratedRegex(@"^/services/data/v(\d+\.\d)(/|$)")]
    private static partial Regex VersionPattern();

    private static IResult Versions(SalesforceEmulator org) => SfJson.Ok(w =>
    {
        w.WriteStartArray();
        for (var v = 31; v <= org.Options.MaxApiVersion; v++)
        {
            w.WriteStartObject();
            w.WriteString("label", ReleaseLabel(v));
            w.WriteString("url", $"/services/data/v{v}.0");
            w.WriteString("version", $"{v}.0");
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    private static string ReleaseLabel(int version)
    {
        // v31.0 was Summer '14; three releases a year since.
        var index = version - 31;
        var season = (index % 3) switch { 0 => "Summer", 1 => "Winter", _ => "Spring" };
        var year = 14 + ((index + 2) / 3);
        return $"{season} '{year % 100:00}";
    }

    private static IResult Resources(string version) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        foreach (var name in ResourceNames)
        {
            w.WriteString(name, $"/services/data/v{version}/{name}");
        }

        w.WriteEndObject();
    });

    private static IResult Limits(SalesforceEmulator org) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        void Limit(string name, long max, long remaining)
        {
            w.WriteStartObject(name);
            w.WriteNumber("Max", max);
            w.WriteNumber("Remaining", remaining);
            w.WriteEndObject();
        }

        Limit("DailyApiRequests", org.Limits.DailyApiRequestLimit, org.Limits.Remaining);
        Limit("DailyBulkApiBatches", 15_000, 15_000 - org.BulkJobs.IngestJobCount);
        Limit("DailyBulkV2QueryJobs", 10_000, 10_000 - org.BulkJobs.QueryJobCount);
        Limit("DailyBulkV2QueryFileStorageMB", 976_562, 976_562);
        Limit("DataStorageMB", 5_120, 5_120);
        Limit("FileStorageMB", 5_120, 5_120);
        Limit("DailyAsyncApexExecutions", 250_000, 250_000);
        Limit("ConcurrentAsyncGetReportInstances", 200, 200);
        w.WriteEndObject();
    });

    private static IResult DescribeGlobal(SalesforceEmulator org, string version) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteString("encoding", "UTF-8");
        w.WriteNumber("maxBatchSize", 200);
        w.WriteStartArray("sobjects");
        foreach (var schema in org.Data.Schemas)
        {
            if (!org.Data.IsAccessRevoked(schema.Name, null))
            {
                WriteObjectSummary(w, version, schema);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteObjectSummary(Utf8JsonWriter w, string version, ObjectSchema schema)
    {
        w.WriteStartObject();
        WriteObjectNames(w, schema, ObjectFlags);
        WriteObjectUrls(w, version, schema);
    }

    /// <summary>What a summary and a describe of an object both start with: its names, key prefix and the given flags, all true.</summary>
    private static void WriteObjectNames(Utf8JsonWriter w, ObjectSchema schema, string[] flags)
    {
        w.WriteString("name", schema.Name);
        w.WriteString("label", schema.Label);
        w.WriteString("labelPlural", schema.Label + "s");
        w.WriteString("keyPrefix", schema.KeyPrefix);
        w.WriteBoolean("custom", false);
        foreach (var flag in flags)
        {
            w.WriteBoolean(flag, true);
        }
    }

    private static void WriteObjectUrls(Utf8JsonWriter w, string version, ObjectSchema schema)
    {
        w.WriteStartObject("urls");
        w.WriteString("sobject", $"/services/data/v{version}/sobjects/{schema.Name}");
        w.WriteString("describe", $"/services/data/v{version}/sobjects/{schema.Name}/describe");
        w.WriteString("rowTemplate", $"/services/data/v{version}/sobjects/{schema.Name}/{{ID}}");
        w.WriteEndObject();
    }

    private static IResult BasicInfo(SalesforceEmulator org, string version, string type)
    {
        var schema = RequireType(org, type);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("objectDescribe");
            WriteObjectSummary(w, version, schema);
            w.WriteEndObject();
            w.WriteStartArray("recentItems");
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static IResult Describe(SalesforceEmulator org, string version, string type)
    {
        var schema = RequireType(org, type);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            WriteObjectNames(w, schema, DescribeFlags);
            w.WriteStartArray("fields");
            foreach (var f in schema.Fields)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("label", f.Label);
                w.WriteString("type", SfJson.TypeName(f.Type));
                w.WriteString("soapType", SfJson.SoapType(f.Type));
                w.WriteNumber("length", f.IsText && f.Type is not FieldType.Id and not FieldType.Reference ? f.Length : f.Type is FieldType.Id or FieldType.Reference ? 18 : 0);
                w.WriteNumber("precision", f.IsNumeric && f.Type != FieldType.Int ? 18 : 0);
                w.WriteNumber("scale", f.Type is FieldType.Currency or FieldType.Double or FieldType.Percent ? 2 : 0);
                w.WriteNumber("digits", f.Type == FieldType.Int ? 9 : 0);
                w.WriteBoolean("nillable", f.Nillable);
                w.WriteBoolean("createable", f.Createable && f.Slot >= 0);
                w.WriteBoolean("updateable", f.Updateable && f.Slot >= 0);
                w.WriteBoolean("custom", f.Custom);
                w.WriteBoolean("externalId", f.ExternalId);
                w.WriteBoolean("idLookup", f.ExternalId || f.Type == FieldType.Id);
                w.WriteBoolean("unique", false);
                w.WriteBoolean("calculated", f.Slot < 0 && f.Type != FieldType.Id && f.Name != "IsDeleted");
                w.WriteBoolean("defaultedOnCreate", f.Type == FieldType.Boolean || f.Name == "OwnerId" || f.Slot is >= 0 and < 5);
                w.WriteBoolean("filterable", true);
                w.WriteBoolean("sortable", f.Type is not FieldType.TextArea);
                w.WriteBoolean("groupable", f.Type is not FieldType.TextArea and not FieldType.DateTime and not FieldType.Double and not FieldType.Currency and not FieldType.Percent);
                w.WriteStartArray("referenceTo");
                foreach (var target in f.ReferenceTo)
                {
                    w.WriteStringValue(target);
                }

                w.WriteEndArray();
                if (f.RelationshipName is null)
                {
                    w.WriteNull("relationshipName");
                }
                else
                {
                    w.WriteString("relationshipName", f.RelationshipName);
                }

                w.WriteStartArray("picklistValues");
                foreach (var value in f.PicklistValues)
                {
                    w.WriteStartObject();
                    w.WriteBoolean("active", true);
                    w.WriteBoolean("defaultValue", false);
                    w.WriteString("label", value);
                    w.WriteString("value", value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("childRelationships");
            w.WriteEndArray();
            w.WriteStartArray("recordTypeInfos");
            w.WriteEndArray();
            WriteObjectUrls(w, version, schema);
            w.WriteEndObject();
        });
    }

    internal static ObjectSchema RequireType(SalesforceEmulator org, string type) =>
        (org.Data.GetSchema(type) is { } schema && !org.Data.IsAccessRevoked(schema.Name, null) ? schema : null) ?? throw new SalesforceApiException("NOT_FOUND", "The requested resource does not exist", statusCode: 404);

    internal static async Task<JsonDocument> ReadJsonAsync(HttpContext http)
    {
        try
        {
            return await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            throw new SalesforceApiException("JSON_PARSER_ERROR", $"Unexpected character: {e.Message}");
        }
    }

    /// <summary>Field values of one record body; unknown fields are INVALID_FIELD as in Salesforce.</summary>
    internal static List<FieldValue> ParseFields(ObjectSchema schema, JsonElement body, bool skipId)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new SalesforceApiException("JSON_PARSER_ERROR", "Expected a JSON object for the record");
        }

        var values = new List<FieldValue>();
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("attributes") || (skipId && property.Name.Equals("Id", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var field = schema.GetField(property.Name) ?? throw OrgData.InvalidField(schema, property.Name);
            values.Add(new FieldValue(field, FieldValues.FromJson(field, property.Value)));
        }

        return values;
    }

    internal static SalesforceApiException LockError(string id) =>
        new("UNABLE_TO_LOCK_ROW", $"unable to obtain exclusive access to this record or 1 records: {id}");

    private static async Task<IResult> CreateAsync(HttpContext http, SalesforceEmulator org, string type)
    {
        var schema = RequireType(org, type);
        using var body = await ReadJsonAsync(http);
        if (body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.EnumerateObject().Any(p => p.Name.Equals("Id", StringComparison.OrdinalIgnoreCase)))
        {
            throw new SalesforceApiException("INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]);
        }

        var values = ParseFields(schema, body.RootElement, skipId: false);
        SObjectRecord record;
        lock (org.Data.SyncRoot)
        {
            record = org.Data.Commit(org.Data.PrepareCreate(schema, values, system: false));
        }

        http.Response.Headers.Location = SfJson.RecordUrl(Version(http), schema, record.Id);
        return SfJson.Result(201, w => SfJson.WriteSaveResult(w, record.Id, null));
    }

    private static SObjectRecord RequireRecord(SalesforceEmulator org, ObjectSchema schema, string id)
    {
        var record = org.Data.Find(id);
        return record is null || record.Schema != schema || record.IsDeleted
            ? throw new SalesforceApiException("NOT_FOUND", "The requested resource does not exist", statusCode: 404)
            : record;
    }

    internal static IReadOnlyList<FieldDefinition> SelectFields(ObjectSchema schema, string? fields)
    {
        if (string.IsNullOrWhiteSpace(fields))
        {
            return schema.Fields;
        }

        return [.. fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => schema.GetField(name) ?? throw OrgData.InvalidField(schema, name))];
    }

    private static IResult Retrieve(HttpContext http, SalesforceEmulator org, string type, string id)
    {
        var schema = RequireType(org, type);
        var record = RequireRecord(org, schema, id);
        var fields = SelectFields(schema, http.Request.Query["fields"]);
        return SfJson.Ok(w => SfJson.WriteRecord(w, Version(http), record, fields));
    }

    /// <summary>The record an update or delete by id names (deleted ones included): of the type in the URL, and not locked.</summary>
    private static SObjectRecord RequireUnlockedRecord(SalesforceEmulator org, ObjectSchema schema, string id)
    {
        var record = org.Data.Find(id);
        if (record is null || record.Schema != schema)
        {
            throw new SalesforceApiException("NOT_FOUND", "The requested resource does not exist", statusCode: 404);
        }

        return org.Faults.IsLocked(record.Id) ? throw LockError(record.Id) : record;
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, SalesforceEmulator org, string type, string id)
    {
        var schema = RequireType(org, type);
        using var body = await ReadJsonAsync(http);
        var values = ParseFields(schema, body.RootElement, skipId: true);
        var record = RequireUnlockedRecord(org, schema, id);
        lock (org.Data.SyncRoot)
        {
            org.Data.Commit(org.Data.PrepareUpdate(record, values, system: false));
        }

        return Results.NoContent();
    }

    private static IResult Delete(SalesforceEmulator org, string type, string id)
    {
        var schema = RequireType(org, type);
        var record = RequireUnlockedRecord(org, schema, id);
        lock (org.Data.SyncRoot)
        {
            org.Data.Commit(OrgData.PrepareDelete(record));
        }

        return Results.NoContent();
    }

    internal static FieldDefinition RequireExternalIdField(ObjectSchema schema, string fieldName)
    {
        var field = schema.GetField(fieldName)
            ?? throw new SalesforceApiException("NOT_FOUND", $"Provided external ID field does not exist or is not accessible: {fieldName}", statusCode: 404);
        return field.ExternalId || field.Type == FieldType.Id
            ? field
            : throw new SalesforceApiException("INVALID_FIELD", $"Field {field.Name} is not an external id field", [field.Name]);
    }

    /// <summary>Live records whose external id equals each value (text compared case-insensitively), in one scan.</summary>
    internal static Dictionary<string, List<SObjectRecord>> MatchExternalIds(SalesforceEmulator org, ObjectSchema schema, FieldDefinition field, IEnumerable<string> values)
    {
        var wanted = new Dictionary<string, List<SObjectRecord>>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            wanted.TryAdd(value, []);
        }

        if (field.Type == FieldType.Id)
        {
            foreach (var (value, list) in wanted)
            {
                if (org.Data.Find(value) is { IsDeleted: false } r && r.Schema == schema)
                {
                    list.Add(r);
                }
            }

            return wanted;
        }

        org.Data.Scan(schema, r =>
        {
            if (field.Read(r) is { } v && wanted.TryGetValue(FieldValues.Format(v), out var list))
            {
                list.Add(r);
            }

            return false;
        }, includeDeleted: false);
        return wanted;
    }

    /// <summary>
    /// The record an upsert row by external id updates: null to create one when nothing matched. A row without a
    /// value (<paramref name="found"/> null) and a value matching several records are refused.
    /// </summary>
    internal static SObjectRecord? SingleExternalIdMatch(FieldDefinition field, List<SObjectRecord>? found)
    {
        if (found is null)
        {
            throw new SalesforceApiException("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{field.Name}]", [field.Name]);
        }

        if (found.Count > 1)
        {
            throw new SalesforceApiException("DUPLICATE_EXTERNAL_ID",
                $"{field.Label}: more than one record found for external id field: [{string.Join(", ", found.Select(f => f.Id))}]", [field.Name]);
        }

        return found.Count == 1 ? found[0] : null;
    }

    private static IResult RetrieveByExternalId(HttpContext http, SalesforceEmulator org, string type, string fieldName, string value)
    {
        var schema = RequireType(org, type);
        var field = RequireExternalIdField(schema, fieldName);
        var matches = MatchExternalIds(org, schema, field, [value])[value];
        return matches.Count switch
        {
            0 => SfJson.Error(404, "NOT_FOUND", "The requested resource does not exist"),
            1 => SfJson.Ok(w => SfJson.WriteRecord(w, Version(http), matches[0], SelectFields(schema, http.Request.Query["fields"]))),
            _ => MultipleChoices(Version(http), schema, matches),
        };
    }

    private static IResult MultipleChoices(string version, ObjectSchema schema, List<SObjectRecord> matches) => SfJson.Result(300, w =>
    {
        w.WriteStartArray();
        foreach (var m in matches)
        {
            w.WriteStringValue(SfJson.RecordUrl(version, schema, m.Id));
        }

        w.WriteEndArray();
    });

    private static async Task<IResult> UpsertAsync(HttpContext http, SalesforceEmulator org, string type, string fieldName, string value)
    {
        var schema = RequireType(org, type);
        var field = RequireExternalIdField(schema, fieldName);
        using var body = await ReadJsonAsync(http);
        var values = ParseFields(schema, body.RootElement, skipId: true).Where(v => v.Field != field).ToList();
        var matches = MatchExternalIds(org, schema, field, [value])[value];
        if (matches.Count > 1)
        {
            return MultipleChoices(Version(http), schema, matches);
        }

        if (matches.Count == 1)
        {
            if (org.Faults.IsLocked(matches[0].Id))
            {
                throw LockError(matches[0].Id);
            }

            lock (org.Data.SyncRoot)
            {
                org.Data.Commit(org.Data.PrepareUpdate(matches[0], values, system: false));
            }

            return SfJson.Ok(w => SfJson.WriteSaveResult(w, matches[0].Id, null, created: false));
        }

        if (field.Type == FieldType.Id)
        {
            throw new SalesforceApiException("NOT_FOUND", "The requested resource does not exist", statusCode: 404);
        }

        values.Add(new FieldValue(field, FieldValues.FromText(field, value, emptyIsNull: false)));
        SObjectRecord record;
        lock (org.Data.SyncRoot)
        {
            record = org.Data.Commit(org.Data.PrepareCreate(schema, values, system: false));
        }

        return SfJson.Result(201, w => SfJson.WriteSaveResult(w, record.Id, null, created: true));
    }

    private static IResult Query(HttpContext http, SalesforceEmulator org, bool queryAll)
    {
        var soql = http.Request.Query["q"].ToString();
        if (string.IsNullOrWhiteSpace(soql))
        {
            throw new SalesforceApiException("MALFORMED_QUERY", "A query string has to be specified");
        }

        var query = org.Queries.Compile(soql);
        if (string.Equals(http.Request.Query["columns"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return ColumnMetadata(query);
        }

        var rows = org.Queries.Execute(query, includeDeleted: queryAll);
        if (query.IsCount)
        {
            return SfJson.Ok(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("totalSize", rows.Count);
                w.WriteBoolean("done", true);
                w.WriteStartArray("records");
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }

        var batchSize = BatchSize(http);
        var locator = rows.Count > batchSize ? org.Cursors.Open(query, rows, batchSize) : null;
        return Page(http, org, query, rows, 0, batchSize, locator, queryAll ? "queryAll" : "query");
    }

    /// <summary>
    /// <c>query?q=…&amp;columns=true</c>: the columns a query returns, without running it (what the Salesforce CLI and the
    /// Developer Console read to lay out results). Parent paths nest under their relationship as <c>joinColumns</c>.
    /// </summary>
    private static IResult ColumnMetadata(CompiledQuery query) => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("columnMetadata");
        WriteColumns(w, [.. query.Columns.Select(c => (c.Parts, c.FieldType))], "");
        w.WriteEndArray();
        w.WriteString("entityName", query.Schema.Name);
        w.WriteBoolean("groupBy", false);
        w.WriteBoolean("idSelect", !query.IsCount);
        w.WriteString("keyPrefix", query.Schema.KeyPrefix);
        w.WriteEndObject();
    });

    private static void WriteColumns(Utf8JsonWriter w, List<(IReadOnlyList<string> Parts, FieldType Type)> columns, string prefix)
    {
        foreach (var group in columns.GroupBy(c => c.Parts[0], StringComparer.OrdinalIgnoreCase))
        {
            var leaf = group.FirstOrDefault(c => c.Parts.Count == 1);
            var children = group.Where(c => c.Parts.Count > 1).Select(c => ((IReadOnlyList<string>)[.. c.Parts.Skip(1)], c.Type)).ToList();
            var type = children.Count > 0 ? (FieldType?)null : leaf.Type;
            w.WriteStartObject();
            w.WriteBoolean("aggregate", false);
            if (type is { } t)
            {
                w.WriteString("apexType", ApexType(t));
            }
            else
            {
                w.WriteNull("apexType");
            }

            w.WriteBoolean("booleanType", type == FieldType.Boolean);
            w.WriteString("columnName", group.Key);
            w.WriteBoolean("custom", group.Key.EndsWith("__c", StringComparison.OrdinalIgnoreCase) || group.Key.EndsWith("__r", StringComparison.OrdinalIgnoreCase));
            w.WriteString("displayName", prefix + group.Key);
            w.WriteNull("foreignKeyName");
            w.WriteBoolean("insertable", type is not null and not FieldType.Id);
            w.WriteStartArray("joinColumns");
            if (children.Count > 0)
            {
                WriteColumns(w, children, prefix + group.Key + ".");
            }

            w.WriteEndArray();
            w.WriteBoolean("numberType", type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent);
            w.WriteBoolean("textType", type is FieldType.String or FieldType.TextArea or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist);
            w.WriteBoolean("updatable", type is not null and not FieldType.Id);
            w.WriteEndObject();
        }
    }

    private static string ApexType(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "Id",
        FieldType.Boolean => "Boolean",
        FieldType.Int => "Integer",
        FieldType.Double or FieldType.Percent => "Double",
        FieldType.Currency => "Decimal",
        FieldType.Date => "Date",
        FieldType.DateTime => "Datetime",
        _ => "String",
    };

    private static IResult QueryMore(HttpContext http, SalesforceEmulator org, string locator, string resource)
    {
        var dash = locator.LastIndexOf('-');
        var cursor = dash > 0 ? org.Cursors.Get(locator[..dash]) : null;
        if (cursor is null || !int.TryParse(locator[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > cursor.Rows.Count)
        {
            throw new SalesforceApiException("INVALID_QUERY_LOCATOR", "invalid query locator");
        }

        return Page(http, org, cursor.Query, cursor.Rows, offset, cursor.BatchSize, locator[..dash], resource);
    }

    private static IResult Page(HttpContext http, SalesforceEmulator org, CompiledQuery query, List<SObjectRecord> rows, int offset, int batchSize, string? locator, string resource)
    {
        var version = Version(http);
        var end = Math.Min(rows.Count, offset + batchSize);
        var done = end >= rows.Count;
        if (done && locator is not null)
        {
            org.Cursors.Close(locator);
        }

        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalSize", rows.Count);
            w.WriteBoolean("done", done);
            if (!done)
            {
                w.WriteString("nextRecordsUrl", $"/services/data/v{version}/{resource}/{locator}-{end}");
            }

            w.WriteStartArray("records");
            for (var i = offset; i < end; i++)
            {
                org.Queries.WriteRecord(w, version, rows[i], query.Columns);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static int BatchSize(HttpContext http)
    {
        foreach (var part in http.Request.Headers["Sforce-Query-Options"].ToString().Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("batchSize=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return Math.Clamp(size, 200, 2000);
            }
        }

        return 2000;
    }
}
