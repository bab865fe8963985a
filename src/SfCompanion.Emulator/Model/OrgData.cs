namespace SfCompanion.Emulator.Model;

/// <summary>
/// The org's records, in memory. Writes go through one lock; a record's value array is replaced (never mutated)
/// on update, so readers outside the lock always see a consistent record.
/// </summary>
public sealed partial class OrgData : IDemoDataSink
{
    private readonly Dictionary<string, Table> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Table> _tablesByPrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SObjectRecord>> _statusesByCampaign = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Rollups _rollups;

    internal OrgData(IEnumerable<CustomFieldDefinition> customFields, TimeProvider time)
    {
        _time = time;
        var prefixOffset = 0L;
        foreach (var schema in StandardObjects.Build(customFields))
        {
            // Counters start at different offsets so Ids of different objects do not look alike.
            var table = new Table(schema, 1_000_000 + (prefixOffset++ * 7_919));
            _tables.Add(schema.Name, table);
            _tablesByPrefix.Add(schema.KeyPrefix, table);
        }

        Schemas = [.. _tables.Values.Select(t => t.Schema)];
        OrganizationId = SalesforceId.Create("00D", 4_242_424);
        _rollups = new Rollups(this);
        Queries = new Soql.QueryEngine(this, time);
    }

    public IReadOnlyList<ObjectSchema> Schemas { get; }

    public string OrganizationId { get; }

    /// <summary>The integration user API calls run as; owner and creator of records that name none.</summary>
    public string AdminUserId { get; internal set; } = "";

    internal object SyncRoot { get; } = new();

    internal Soql.QueryEngine Queries { get; }

    /// <summary>
    /// Takes an object (<paramref name="field"/> null) or one of its fields away from the integration user, as when it is
    /// deleted from the org or a permission is lost: SOQL naming it is refused with <c>INVALID_TYPE</c> / <c>INVALID_FIELD</c>.
    /// </summary>
    public void RevokeAccess(string sobjectType, string? field = null)
    {
        lock (_revoked)
        {
            _revoked.Add(field is null ? sobjectType : sobjectType + "." + field);
        }
    }

    /// <summary>Gives back everything <see cref="RevokeAccess"/> took.</summary>
    public void RestoreAccess()
    {
        lock (_revoked)
        {
            _revoked.Clear();
        }
    }

    internal bool IsAccessRevoked(string sobjectType, string? field)
    {
        lock (_revoked)
        {
            return _revoked.Count > 0 && (_revoked.Contains(sobjectType) || (field is not null && _revoked.Contains(sobjectType + "." + field)));
        }
    }

    private readonly HashSet<string> _revoked = new(StringComparer.OrdinalIgnoreCase);

    public ObjectSchema? GetSchema(string sobjectType) => _tables.GetValueOrDefault(sobjectType)?.Schema;

    /// <summary>Inserts a record as the system would (audit fields and read-only fields may be set). Returns the 18-char Id.</summary>
    public string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var schema = RequireSchema(sobjectType);
        var values = ConvertClr(schema, fields);
        lock (SyncRoot)
        {
            if (schema.Name == "CampaignMemberStatus" && FindStatus(values) is { } existing)
            {
                // Campaigns get default statuses; a generated status with the same label replaces the default one.
                Commit(PrepareUpdate(existing, values.Where(v => v.Field.Name != "CampaignId"), system: true));
                return existing.Id;
            }

            return Commit(PrepareCreate(schema, values, system: true)).Id;
        }
    }

    /// <summary>Updates fields of a record as the system would; SystemModstamp moves unless the caller sets it.</summary>
    public void Update(string id, IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (SyncRoot)
        {
            var record = RequireLive(id);
            Commit(PrepareUpdate(record, ConvertClr(record.Schema, fields), system: true));
        }
    }

    public void Delete(string id)
    {
        lock (SyncRoot)
        {
            Commit(PrepareDelete(RequireLive(id)));
        }
    }

    /// <summary>All fields of a record (deleted records included, with IsDeleted true), or null when unknown.</summary>
    public IReadOnlyDictionary<string, object?>? Get(string id)
    {
        var record = Find(id);
        return record is null ? null : record.Schema.Fields.ToDictionary(f => f.Name, f => f.Read(record), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Runs SOQL directly against the store (no API call counted). Each row maps the selected paths, as written in
    /// canonical case (for example <c>Owner.Name</c>), to their values; COUNT() queries return one row with key <c>COUNT()</c>.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string soql, bool includeDeleted = false)
    {
        var query = Queries.Compile(soql);
        var rows = Queries.Execute(query, includeDeleted);
        if (query.IsCount)
        {
            return [new Dictionary<string, object?> { ["COUNT()"] = rows.Count }];
        }

        return [.. rows.Select(r => (IReadOnlyDictionary<string, object?>)query.Columns.ToDictionary(c => c.Path, c => c.Read(r), StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>Number of live (not deleted) records of a type.</summary>
    public int Count(string sobjectType)
    {
        var table = _tables[RequireSchema(sobjectType).Name];
        lock (SyncRoot)
        {
            return table.Records.Count - table.DeletedCount;
        }
    }

    internal SObjectRecord? Find(string? id)
    {
        var normalized = SalesforceId.Normalize(id);
        if (normalized is null || !_tablesByPrefix.TryGetValue(normalized[..3], out var table))
        {
            return null;
        }

        lock (SyncRoot)
        {
            return table.ById.TryGetValue(normalized, out var record) && !record.IsPurged ? record : null;
        }
    }

    internal ObjectSchema? SchemaForId(string id) => id.Length >= 3 ? _tablesByPrefix.GetValueOrDefault(id[..3])?.Schema : null;

    /// <summary>Records of a type matching a predicate, in creation order. Runs under the lock.</summary>
    internal List<SObjectRecord> Scan(ObjectSchema schema, Func<SObjectRecord, bool>? predicate, bool includeDeleted)
    {
        var table = _tables[schema.Name];
        lock (SyncRoot)
        {
            var result = new List<SObjectRecord>();
            foreach (var record in table.Records)
            {
                if (record.IsPurged || (record.IsDeleted && !includeDeleted))
                {
                    continue;
                }

                if (predicate is null || predicate(record))
                {
                    result.Add(record);
                }
            }

            return result;
        }
    }

    internal ObjectSchema RequireSchema(string sobjectType) =>
        GetSchema(sobjectType) ?? throw new SalesforceApiException("NOT_FOUND", $"The requested resource does not exist: sObject type '{sobjectType}' is not supported.", statusCode: 404);

    internal static List<FieldValue> ConvertClr(ObjectSchema schema, IReadOnlyDictionary<string, object?> fields)
    {
        var values = new List<FieldValue>(fields.Count);
        foreach (var (name, value) in fields)
        {
            var field = schema.GetField(name) ?? throw InvalidField(schema, name);
            values.Add(new FieldValue(field, FieldValues.FromClr(field, value)));
        }

        return values;
    }

    internal static SalesforceApiException InvalidField(ObjectSchema schema, string name) =>
        new("INVALID_FIELD", $"No such column '{name}' on sobject of type {schema.Name}", [name]);

    private SObjectRecord RequireLive(string id)
    {
        var record = Find(id) ?? throw new SalesforceApiException("NOT_FOUND", "The requested resource does not exist", statusCode: 404);
        return record.IsDeleted ? throw new SalesforceApiException("ENTITY_IS_DELETED", "entity is deleted") : record;
    }

    private SObjectRecord? FindStatus(List<FieldValue> values)
    {
        var campaignId = values.FirstOrDefault(v => v.Field.Name == "CampaignId").Value as string;
        var label = values.FirstOrDefault(v => v.Field.Name == "Label").Value as string;
        return campaignId is null || label is null ? null
            : StatusesOf(campaignId).FirstOrDefault(s => string.Equals(s["Label"] as string, label, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Table(ObjectSchema schema, long firstCounter)
    {
        public ObjectSchema Schema { get; } = schema;

        public List<SObjectRecord> Records { get; } = [];

        public Dictionary<string, SObjectRecord> ById { get; } = new(StringComparer.Ordinal);

        public long NextCounter { get; set; } = firstCounter;

        public int DeletedCount { get; set; }
    }
}

internal readonly record struct FieldValue(FieldDefinition Field, object? Value);
