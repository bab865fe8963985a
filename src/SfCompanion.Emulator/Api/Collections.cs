using System.Text.Json;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Api;

/// <summary>sObject Collections: create, update, upsert, delete and retrieve up to 200 records per call.</summary>
internal static class Collections
{
    private const int MaxRecords = 200;

    public static void Map(RouteGroupBuilder v, SalesforceEmulator org)
    {
        v.MapPost("/composite/sobjects", RestApi.Handler(http => WriteAsync(http, org, WriteKind.Create, null)));
        v.MapMethods("/composite/sobjects", RestApi.Patch, RestApi.Handler(http => WriteAsync(http, org, WriteKind.Update, null)));
        v.MapMethods("/composite/sobjects/{type}/{field}", RestApi.Patch, (HttpContext http, string type, string field) => WriteAsync(http, org, null, (type, field)));
        v.MapDelete("/composite/sobjects", (HttpContext http) => Delete(http, org));
        v.MapGet("/composite/sobjects/{type}", (HttpContext http, string type) =>
            Retrieve(http, org, type, http.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), http.Request.Query["fields"]));
        v.MapPost("/composite/sobjects/{type}", (HttpContext http, string type) => RetrievePostAsync(http, org, type));
    }

    private static SalesforceApiException RolledBack() => new("ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "Record rolled back because not all records were valid and the request was using AllOrNone header");

    private static async Task<IResult> WriteAsync(HttpContext http, SalesforceEmulator org, WriteKind? kind, (string Type, string Field)? upsert)
    {
        using var body = await RestApi.ReadJsonAsync(http);
        var root = body.RootElement;
        var allOrNone = root.TryGetProperty("allOrNone", out var a) && a.ValueKind == JsonValueKind.True;
        if (!root.TryGetProperty("records", out var recordsElement) || recordsElement.ValueKind != JsonValueKind.Array)
        {
            throw new SalesforceApiException("JSON_PARSER_ERROR", "The request body must contain a records array");
        }

        var records = recordsElement.EnumerateArray().ToList();
        if (records.Count > MaxRecords)
        {
            throw new SalesforceApiException("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        ObjectSchema? upsertSchema = null;
        FieldDefinition? upsertField = null;
        Dictionary<string, List<SObjectRecord>>? matches = null;
        if (upsert is { } u)
        {
            upsertSchema = RestApi.RequireType(org, u.Type);
            upsertField = RestApi.RequireExternalIdField(upsertSchema, u.Field);
            matches = RestApi.MatchExternalIds(org, upsertSchema, upsertField,
                records.Select(r => Property(r, upsertField.Name) is { ValueKind: not JsonValueKind.Null } e ? e.ToString() : null).OfType<string>());
        }

        var results = new (string? Id, SalesforceApiException? Error, bool? Created)[records.Count];
        var prepared = new PreparedWrite?[records.Count];
        lock (org.Data.SyncRoot)
        {
            for (var i = 0; i < records.Count; i++)
            {
                try
                {
                    var element = records[i];
                    var schema = upsertSchema ?? SchemaOf(org, element);
                    var effectiveKind = kind ?? WriteKind.Update;
                    SObjectRecord? existing = null;
                    if (upsertField is not null)
                    {
                        var key = Property(element, upsertField.Name) is { ValueKind: not JsonValueKind.Null } e ? e.ToString() : null;
                        var found = key is null ? null : matches![key];
                        if (key is null || found is null)
                        {
                            throw new SalesforceApiException("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{upsertField.Name}]", [upsertField.Name]);
                        }

                        if (found.Count > 1)
                        {
                            throw new SalesforceApiException("DUPLICATE_EXTERNAL_ID",
                                $"{upsertField.Label}: more than one record found for external id field: [{string.Join(", ", found.Select(f => f.Id))}]", [upsertField.Name]);
                        }

                        existing = found.Count == 1 ? found[0] : null;
                        effectiveKind = existing is null ? WriteKind.Create : WriteKind.Update;
                        results[i].Created = existing is null;
                    }
                    else if (kind == WriteKind.Update)
                    {
                        var id = Property(element, "Id") is { } idElement ? idElement.ToString() : null;
                        if (id is null)
                        {
                            throw new SalesforceApiException("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"]);
                        }

                        existing = org.Data.Find(id);
                        results[i].Id = existing?.Id ?? id;
                        if (existing is null || existing.Schema != schema)
                        {
                            throw SalesforceId.Normalize(id) is null
                                ? new SalesforceApiException("MALFORMED_ID", $"{schema.Label} ID: id value of incorrect type: {id}", ["Id"])
                                : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
                        }
                    }
                    else if (Property(element, "Id") is not null)
                    {
                        throw new SalesforceApiException("INVALID_FIELD", "cannot specify Id in an insert call", ["Id"]);
                    }

                    if (existing is not null)
                    {
                        results[i].Id = existing.Id;
                        if (org.Faults.IsLocked(existing.Id))
                        {
                            throw RestApi.LockError(existing.Id);
                        }
                    }

                    var values = RestApi.ParseFields(schema, element, skipId: true);
                    if (upsertField is not null && existing is not null)
                    {
                        values.RemoveAll(v => v.Field == upsertField);
                    }

                    prepared[i] = effectiveKind == WriteKind.Create
                        ? org.Data.PrepareCreate(schema, values, system: false)
                        : org.Data.PrepareUpdate(existing!, values, system: false);
                    if (!allOrNone)
                    {
                        results[i].Id = org.Data.Commit(prepared[i]!).Id;
                    }
                }
                catch (SalesforceApiException e)
                {
                    results[i].Error = e;
                }
            }

            if (allOrNone)
            {
                var failed = results.Any(r => r.Error is not null);
                for (var i = 0; i < records.Count; i++)
                {
                    if (failed)
                    {
                        results[i].Error ??= RolledBack();
                        if (prepared[i]?.Kind == WriteKind.Create)
                        {
                            results[i].Id = null;
                        }
                    }
                    else
                    {
                        results[i].Id = org.Data.Commit(prepared[i]!).Id;
                    }
                }
            }
        }

        return SfJson.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var (id, error, created) in results)
            {
                SfJson.WriteSaveResult(w, id, error, created);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Field names are case-insensitive in Salesforce (jsforce sends "id"); JSON property lookup is not.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static ObjectSchema SchemaOf(SalesforceEmulator org, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("attributes", out var attributes)
            || !attributes.TryGetProperty("type", out var type) || type.GetString() is not { } name)
        {
            throw new SalesforceApiException("INVALID_TYPE", "Must send a concrete entity type.");
        }

        return org.Data.GetSchema(name) ?? throw new SalesforceApiException("INVALID_TYPE", $"sObject type '{name}' is not supported.");
    }

    private static IResult Delete(HttpContext http, SalesforceEmulator org)
    {
        var ids = http.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var allOrNone = string.Equals(http.Request.Query["allOrNone"], "true", StringComparison.OrdinalIgnoreCase);
        if (ids.Length > MaxRecords)
        {
            throw new SalesforceApiException("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }

        var results = new (string Id, SalesforceApiException? Error)[ids.Length];
        var prepared = new PreparedWrite?[ids.Length];
        lock (org.Data.SyncRoot)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                results[i].Id = ids[i];
                try
                {
                    var record = org.Data.Find(ids[i]) ?? throw (SalesforceId.Normalize(ids[i]) is null
                        ? new SalesforceApiException("MALFORMED_ID", $"malformed id {ids[i]}")
                        : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
                    results[i].Id = record.Id;
                    if (org.Faults.IsLocked(record.Id))
                    {
                        throw RestApi.LockError(record.Id);
                    }

                    prepared[i] = OrgData.PrepareDelete(record);
                    if (!allOrNone)
                    {
                        org.Data.Commit(prepared[i]!);
                    }
                }
                catch (SalesforceApiException e)
                {
                    results[i].Error = e;
                }
            }

            if (allOrNone)
            {
                var failed = results.Any(r => r.Error is not null);
                for (var i = 0; i < ids.Length; i++)
                {
                    if (failed)
                    {
                        results[i].Error ??= RolledBack();
                    }
                    else
                    {
                        org.Data.Commit(prepared[i]!);
                    }
                }
            }
        }

        return SfJson.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var (id, error) in results)
            {
                SfJson.WriteSaveResult(w, id, error);
            }

            w.WriteEndArray();
        });
    }

    private static async Task<IResult> RetrievePostAsync(HttpContext http, SalesforceEmulator org, string type)
    {
        using var body = await RestApi.ReadJsonAsync(http);
        var ids = body.RootElement.TryGetProperty("ids", out var i) ? i.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : [];
        var fields = body.RootElement.TryGetProperty("fields", out var f) ? string.Join(',', f.EnumerateArray().Select(e => e.GetString())) : null;
        return Retrieve(http, org, type, ids, fields);
    }

    private static IResult Retrieve(HttpContext http, SalesforceEmulator org, string type, string[] ids, string? fieldList)
    {
        var schema = RestApi.RequireType(org, type);
        if (string.IsNullOrWhiteSpace(fieldList))
        {
            throw new SalesforceApiException("MISSING_ARGUMENT", "fields parameter is required");
        }

        if (ids.Length > 2000)
        {
            throw new SalesforceApiException("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 2000 records into this call");
        }

        var fields = RestApi.SelectFields(schema, fieldList);
        var version = RestApi.Version(http);
        return SfJson.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var id in ids)
            {
                var record = org.Data.Find(id);
                if (record is null || record.IsDeleted || record.Schema != schema)
                {
                    w.WriteNullValue();
                }
                else
                {
                    SfJson.WriteRecord(w, version, record, fields);
                }
            }

            w.WriteEndArray();
        });
    }
}
