using System.Text.Json;
using SfCompanion.Emulator.Model;
using SaveResult = (string? Id, SfCompanion.Emulator.Model.SalesforceApiException? Error, bool? Created);

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
        var (records, allOrNone) = ReadRecords(body.RootElement);
        var target = upsert is { } u ? UpsertTarget.Resolve(org, u.Type, u.Field, records) : null;
        var results = Save(org, records.Count, allOrNone,
            (int i, ref SaveResult result) => PrepareRecord(org, records[i], kind, target, ref result));
        return SaveResults(results);
    }

    /// <summary>The records array of the body (at most <see cref="MaxRecords"/>) and its allOrNone flag.</summary>
    private static (List<JsonElement> Records, bool AllOrNone) ReadRecords(JsonElement root)
    {
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

        return (records, allOrNone);
    }

    /// <summary>Validates one record of a create, update or upsert and prepares its write; fills in what <paramref name="result"/> reports on the way.</summary>
    private static PreparedWrite PrepareRecord(SalesforceEmulator org, JsonElement element, WriteKind? kind, UpsertTarget? upsert, ref SaveResult result)
    {
        var schema = upsert?.Schema ?? SchemaOf(org, element);
        var effectiveKind = kind ?? WriteKind.Update;
        SObjectRecord? existing = null;
        if (upsert is not null)
        {
            existing = upsert.Match(element);
            effectiveKind = existing is null ? WriteKind.Create : WriteKind.Update;
            result.Created = existing is null;
        }
        else if (kind == WriteKind.Update)
        {
            existing = FindForUpdate(org, schema, element, ref result);
        }
        else if (Property(element, "Id") is not null)
        {
            throw new SalesforceApiException("INVALID_FIELD", "cannot specify Id in an insert call", ["Id"]);
        }

        if (existing is not null)
        {
            Claim(org, existing, ref result);
        }

        var values = RestApi.ParseFields(schema, element, skipId: true);
        if (upsert is not null && existing is not null)
        {
            values.RemoveAll(v => v.Field == upsert.Field);
        }

        return effectiveKind == WriteKind.Create
            ? org.Data.PrepareCreate(schema, values, system: false)
            : org.Data.PrepareUpdate(existing!, values, system: false);
    }

    /// <summary>The record an update names by Id, which must exist and be of <paramref name="schema"/>.</summary>
    private static SObjectRecord FindForUpdate(SalesforceEmulator org, ObjectSchema schema, JsonElement element, ref SaveResult result)
    {
        var id = Property(element, "Id") is { } idElement ? idElement.ToString() : null;
        if (id is null)
        {
            throw new SalesforceApiException("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"]);
        }

        var existing = org.Data.Find(id);
        result.Id = existing?.Id ?? id;
        if (existing is null || existing.Schema != schema)
        {
            throw SalesforceId.Normalize(id) is null
                ? new SalesforceApiException("MALFORMED_ID", $"{schema.Label} ID: id value of incorrect type: {id}", ["Id"])
                : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
        }

        return existing;
    }

    /// <summary>Reports the record's id and refuses a record that is locked.</summary>
    private static void Claim(SalesforceEmulator org, SObjectRecord record, ref SaveResult result)
    {
        result.Id = record.Id;
        if (org.Faults.IsLocked(record.Id))
        {
            throw RestApi.LockError(record.Id);
        }
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

        var results = Save(org, ids.Length, allOrNone, (int i, ref SaveResult result) =>
        {
            result.Id = ids[i];
            var record = org.Data.Find(ids[i]) ?? throw (SalesforceId.Normalize(ids[i]) is null
                ? new SalesforceApiException("MALFORMED_ID", $"malformed id {ids[i]}")
                : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
            Claim(org, record, ref result);
            return OrgData.PrepareDelete(record);
        });
        return SaveResults(results);
    }

    /// <summary>Prepares the write of record <c>index</c>, filling in what its result reports on the way; throws to refuse it.</summary>
    private delegate PreparedWrite PrepareWrite(int index, ref SaveResult result);

    /// <summary>
    /// Prepares every record under the data lock and commits each one at once; with allOrNone, commits them
    /// only when none failed, and otherwise marks every record rolled back.
    /// </summary>
    private static SaveResult[] Save(SalesforceEmulator org, int count, bool allOrNone, PrepareWrite prepare)
    {
        var results = new SaveResult[count];
        var prepared = new PreparedWrite?[count];
        lock (org.Data.SyncRoot)
        {
            for (var i = 0; i < count; i++)
            {
                try
                {
                    prepared[i] = prepare(i, ref results[i]);
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
                CommitAllOrNone(org, results, prepared);
            }
        }

        return results;
    }

    private static void CommitAllOrNone(SalesforceEmulator org, SaveResult[] results, PreparedWrite?[] prepared)
    {
        var failed = results.Any(r => r.Error is not null);
        for (var i = 0; i < results.Length; i++)
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

    private static IResult SaveResults(SaveResult[] results) => SfJson.Ok(w =>
    {
        w.WriteStartArray();
        foreach (var (id, error, created) in results)
        {
            SfJson.WriteSaveResult(w, id, error, created);
        }

        w.WriteEndArray();
    });

    /// <summary>The object and external id field of an upsert, and the records matching each external id of the request.</summary>
    private sealed record UpsertTarget(ObjectSchema Schema, FieldDefinition Field, Dictionary<string, List<SObjectRecord>> Matches)
    {
        public static UpsertTarget Resolve(SalesforceEmulator org, string type, string fieldName, List<JsonElement> records)
        {
            var schema = RestApi.RequireType(org, type);
            var field = RestApi.RequireExternalIdField(schema, fieldName);
            return new UpsertTarget(schema, field, RestApi.MatchExternalIds(org, schema, field, records.Select(r => ExternalId(r, field)).OfType<string>()));
        }

        /// <summary>The record the element's external id names, or null to create one.</summary>
        public SObjectRecord? Match(JsonElement element) =>
            RestApi.SingleExternalIdMatch(Field, ExternalId(element, Field) is { } key ? Matches[key] : null);

        private static string? ExternalId(JsonElement element, FieldDefinition field) =>
            Property(element, field.Name) is { ValueKind: not JsonValueKind.Null } e ? e.ToString() : null;
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
