namespace SfCompanion.Emulator.Model;

internal enum WriteKind
{
    Create,
    Update,
    Delete,
}

/// <summary>A validated write not yet applied: collections with allOrNone validate every record before applying any.</summary>
internal sealed class PreparedWrite(WriteKind kind, ObjectSchema schema, SObjectRecord? existing, object?[] values, HashSet<int> explicitSlots, bool system)
{
    public WriteKind Kind { get; } = kind;

    public ObjectSchema Schema { get; } = schema;

    public SObjectRecord? Existing { get; } = existing;

    public object?[] Values { get; } = values;

    public HashSet<int> ExplicitSlots { get; } = explicitSlots;

    public bool System { get; } = system;
}

public sealed partial class OrgData
{
    private static readonly Dictionary<string, (bool Closed, bool Won, int Probability)> Stages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Prospecting"] = (false, false, 10),
        ["Qualification"] = (false, false, 10),
        ["Needs Analysis"] = (false, false, 20),
        ["Value Proposition"] = (false, false, 50),
        ["Id. Decision Makers"] = (false, false, 60),
        ["Perception Analysis"] = (false, false, 70),
        ["Proposal/Price Quote"] = (false, false, 75),
        ["Negotiation/Review"] = (false, false, 90),
        ["Closed Won"] = (true, true, 100),
        ["Closed Lost"] = (true, false, 0),
    };

    // Picklist defaults Salesforce applies on create when the field is left empty.
    private static readonly Dictionary<string, (string Field, string Value)[]> Defaults = new(StringComparer.Ordinal)
    {
        ["Lead"] = [("Status", "Open - Not Contacted")],
        ["Task"] = [("Status", "Not Started"), ("Priority", "Normal")],
    };

    internal PreparedWrite PrepareCreate(ObjectSchema schema, IEnumerable<FieldValue> changes, bool system)
    {
        var values = new object?[schema.SlotCount];
        var explicitSlots = Apply(schema, values, changes, system, create: true);
        foreach (var field in schema.Fields)
        {
            if (field.Slot >= 0 && field.Type == FieldType.Boolean && values[field.Slot] is null)
            {
                values[field.Slot] = FieldValues.False;
            }

            if (field.Slot >= 0 && field.Type == FieldType.Int && field is { Createable: false, Updateable: false } && values[field.Slot] is null
                && !field.Name.StartsWith("System", StringComparison.Ordinal))
            {
                values[field.Slot] = 0;
            }
        }

        if (schema.GetField("OwnerId") is { } owner && values[owner.Slot] is null)
        {
            values[owner.Slot] = AdminUserId;
        }

        if (!system)
        {
            var missing = schema.Fields.Where(f => f.Required && f.Slot >= 0 && values[f.Slot] is null or "").Select(f => f.Name).ToList();
            if (missing.Count > 0)
            {
                throw new SalesforceApiException("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", missing)}]", missing);
            }
        }

        ApplyRules(schema, values, null, explicitSlots, system);
        return new PreparedWrite(WriteKind.Create, schema, null, values, explicitSlots, system);
    }

    internal PreparedWrite PrepareUpdate(SObjectRecord record, IEnumerable<FieldValue> changes, bool system)
    {
        if (record.IsDeleted)
        {
            throw new SalesforceApiException("ENTITY_IS_DELETED", "entity is deleted");
        }

        var values = (object?[])record.Values.Clone();
        var explicitSlots = Apply(record.Schema, values, changes, system, create: false);
        if (!system)
        {
            var cleared = record.Schema.Fields.Where(f => f.Required && f.Slot >= 0 && explicitSlots.Contains(f.Slot) && values[f.Slot] is null or "")
                .Select(f => f.Name).ToList();
            if (cleared.Count > 0)
            {
                throw new SalesforceApiException("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{string.Join(", ", cleared)}]", cleared);
            }
        }

        ApplyRules(record.Schema, values, record.Values, explicitSlots, system);
        return new PreparedWrite(WriteKind.Update, record.Schema, record, values, explicitSlots, system);
    }

    internal static PreparedWrite PrepareDelete(SObjectRecord record) => record.IsDeleted
        ? throw new SalesforceApiException("ENTITY_IS_DELETED", "entity is deleted")
        : new PreparedWrite(WriteKind.Delete, record.Schema, record, record.Values, [], system: false);

    /// <summary>Applies a prepared write. Call under <see cref="SyncRoot"/>.</summary>
    internal SObjectRecord Commit(PreparedWrite write)
    {
        object now = _time.GetUtcNow();
        var values = write.Values;
        var table = _tables[write.Schema.Name];
        switch (write.Kind)
        {
            case WriteKind.Create:
            {
                // One boxed timestamp shared by the audit fields: it matters at a million records.
                var created = Explicit(write, ObjectSchema.CreatedDateSlot) ?? now;
                values[ObjectSchema.CreatedDateSlot] = created;
                values[ObjectSchema.CreatedByIdSlot] = Explicit(write, ObjectSchema.CreatedByIdSlot) ?? AdminUserId;
                var modified = Explicit(write, ObjectSchema.LastModifiedDateSlot) ?? created;
                values[ObjectSchema.LastModifiedDateSlot] = modified;
                values[ObjectSchema.LastModifiedByIdSlot] = Explicit(write, ObjectSchema.LastModifiedByIdSlot) ?? values[ObjectSchema.CreatedByIdSlot];
                values[ObjectSchema.SystemModstampSlot] = Explicit(write, ObjectSchema.SystemModstampSlot) ?? modified;
                var id = SalesforceId.Create(write.Schema.KeyPrefix, table.NextCounter++);
                var record = new SObjectRecord(write.Schema, id, values);
                table.Records.Add(record);
                table.ById.Add(id, record);
                AfterWrite(record, null, values, write);
                return record;
            }

            case WriteKind.Update:
            {
                var record = write.Existing!;
                values[ObjectSchema.LastModifiedDateSlot] = Explicit(write, ObjectSchema.LastModifiedDateSlot) ?? now;
                values[ObjectSchema.LastModifiedByIdSlot] = Explicit(write, ObjectSchema.LastModifiedByIdSlot) ?? AdminUserId;
                values[ObjectSchema.SystemModstampSlot] = Explicit(write, ObjectSchema.SystemModstampSlot) ?? now;
                var old = record.Values;
                record.Values = values;
                AfterWrite(record, old, values, write);
                return record;
            }

            default:
            {
                var record = write.Existing!;
                var old = record.Values;
                var deleted = (object?[])old.Clone();
                deleted[ObjectSchema.SystemModstampSlot] = now;
                record.Values = deleted;
                record.IsDeleted = true;
                record.DeletedDate = (DateTimeOffset)now;
                table.DeletedCount++;
                AfterWrite(record, old, null, write);
                return record;
            }
        }
    }

    /// <summary>Removes a record for good (Bulk hardDelete): it disappears from queryAll and getDeleted.</summary>
    internal void Purge(SObjectRecord record)
    {
        if (!record.IsDeleted)
        {
            Commit(PrepareDelete(record));
        }

        record.IsPurged = true;
    }

    internal IReadOnlyList<SObjectRecord> StatusesOf(string campaignId)
    {
        if (_statusesByCampaign.TryGetValue(campaignId, out var statuses) && statuses.Count > 0)
        {
            return statuses;
        }

        if (!_tables["Campaign"].ById.ContainsKey(campaignId))
        {
            return [];
        }

        // A campaign always has statuses; campaigns inserted by the system get Salesforce's defaults when first needed.
        CreateDefaultStatuses(campaignId);
        return _statusesByCampaign[campaignId];
    }

    private static object? Explicit(PreparedWrite write, int slot) =>
        write.System && write.ExplicitSlots.Contains(slot) ? write.Values[slot] : null;

    private static HashSet<int> Apply(ObjectSchema schema, object?[] values, IEnumerable<FieldValue> changes, bool system, bool create)
    {
        var explicitSlots = new HashSet<int>();
        List<string>? readOnly = null;
        foreach (var (field, value) in changes)
        {
            if (field.Slot < 0)
            {
                if (!system && field.Name != "Id")
                {
                    (readOnly ??= []).Add(field.Name);
                }

                continue;
            }

            if (!system && !(create ? field.Createable : field.Updateable))
            {
                (readOnly ??= []).Add(field.Name);
                continue;
            }

            if (!field.Nillable && value is null && field.Type == FieldType.Boolean)
            {
                throw new SalesforceApiException("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{field.Label}: value not of required type: null", [field.Name]);
            }

            values[field.Slot] = value;
            explicitSlots.Add(field.Slot);
        }

        if (readOnly is not null)
        {
            throw new SalesforceApiException("INVALID_FIELD_FOR_INSERT_UPDATE",
                $"Unable to create/update fields: {string.Join(", ", readOnly)}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                readOnly);
        }

        return explicitSlots;
    }

    private void ApplyRules(ObjectSchema schema, object?[] values, object?[]? old, HashSet<int> explicitSlots, bool system)
    {
        if (!system)
        {
            CheckReferences(schema, values, explicitSlots);
        }

        if (old is null && Defaults.TryGetValue(schema.Name, out var defaults))
        {
            foreach (var (field, value) in defaults)
            {
                values[Slot(schema, field)] ??= value;
            }
        }

        switch (schema.Name)
        {
            case "Opportunity":
            {
                var stage = Slot(schema, "StageName");
                if ((old is null || explicitSlots.Contains(stage)) && values[stage] is string name && Stages.TryGetValue(name, out var s))
                {
                    SetUnlessExplicit(schema, values, explicitSlots, system, "IsClosed", s.Closed);
                    SetUnlessExplicit(schema, values, explicitSlots, system, "IsWon", s.Won);
                    if (!explicitSlots.Contains(Slot(schema, "Probability")))
                    {
                        values[Slot(schema, "Probability")] = (decimal)s.Probability;
                    }
                }

                break;
            }

            case "Task":
                SetUnlessExplicit(schema, values, explicitSlots, system, "IsClosed", values[Slot(schema, "Status")] is "Completed");
                break;
            case "CampaignMember":
                ApplyCampaignMemberRules(schema, values, old, system);
                break;
            case "CampaignMemberStatus" when old is null && !system:
            {
                var campaignId = (string)values[Slot(schema, "CampaignId")]!;
                var label = values[Slot(schema, "Label")] as string;
                if (StatusesOf(campaignId).Any(st => string.Equals(st["Label"] as string, label, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new SalesforceApiException("DUPLICATE_VALUE", $"duplicate value found: Label duplicates value on record with id: {campaignId}", ["Label"]);
                }

                break;
            }
        }
    }

    private void ApplyCampaignMemberRules(ObjectSchema schema, object?[] values, object?[]? old, bool system)
    {
        var campaignId = values[Slot(schema, "CampaignId")] as string;
        var leadId = values[Slot(schema, "LeadId")] as string;
        var contactId = values[Slot(schema, "ContactId")] as string;
        if (old is null && !system && leadId is null && contactId is null)
        {
            throw new SalesforceApiException("REQUIRED_FIELD_MISSING", "Required fields are missing: [LeadId, ContactId]", ["LeadId", "ContactId"]);
        }

        var statuses = campaignId is null ? [] : StatusesOf(campaignId);
        var statusSlot = Slot(schema, "Status");
        var requested = values[statusSlot] as string;
        var status = requested is null
            ? statuses.FirstOrDefault(s => s["IsDefault"] is true) ?? (statuses.Count > 0 ? statuses[0] : null)
            : statuses.FirstOrDefault(s => string.Equals(s["Label"] as string, requested, StringComparison.OrdinalIgnoreCase));
        if (status is null && (requested is not null || statuses.Count > 0))
        {
            throw new SalesforceApiException("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", $"Status: bad value for restricted picklist field: {requested}", ["Status"]);
        }

        if (status is not null)
        {
            values[statusSlot] = status["Label"];
            var responded = status["HasResponded"] is true;
            var respondedSlot = Slot(schema, "HasResponded");
            var wasResponded = old?[respondedSlot] is true;
            values[respondedSlot] = responded ? FieldValues.True : FieldValues.False;
            var firstSlot = Slot(schema, "FirstRespondedDate");
            if (responded && !wasResponded && values[firstSlot] is null)
            {
                values[firstSlot] = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
            }
        }

        if (old is null && (contactId ?? leadId) is { } personId && Find(personId) is { } person)
        {
            values[Slot(schema, "FirstName")] ??= person["FirstName"];
            values[Slot(schema, "LastName")] ??= person["LastName"];
            values[Slot(schema, "Email")] ??= person["Email"];
        }
    }

    private void CheckReferences(ObjectSchema schema, object?[] values, HashSet<int> explicitSlots)
    {
        foreach (var field in schema.Fields)
        {
            if (field.Type != FieldType.Reference || field.Slot < 0 || !explicitSlots.Contains(field.Slot) || values[field.Slot] is not string id)
            {
                continue;
            }

            var target = SchemaForId(id);
            var knownTargets = field.ReferenceTo.Where(t => _tables.ContainsKey(t)).ToList();
            if (knownTargets.Count == 0)
            {
                continue;
            }

            if (target is null || !knownTargets.Contains(target.Name, StringComparer.Ordinal))
            {
                throw new SalesforceApiException("FIELD_INTEGRITY_EXCEPTION", $"{field.Label}: id value of incorrect type: {id}", [field.Name]);
            }

            if (Find(id) is not { IsDeleted: false })
            {
                throw new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", $"invalid cross reference id", [field.Name]);
            }
        }
    }

    private static void SetUnlessExplicit(ObjectSchema schema, object?[] values, HashSet<int> explicitSlots, bool system, string field, bool value)
    {
        var slot = Slot(schema, field);
        if (!(system && explicitSlots.Contains(slot)))
        {
            values[slot] = value ? FieldValues.True : FieldValues.False;
        }
    }

    private static int Slot(ObjectSchema schema, string field) => schema.GetField(field)!.Slot;

    private void AfterWrite(SObjectRecord record, object?[]? old, object?[]? current, PreparedWrite write)
    {
        var schema = record.Schema;
        switch (schema.Name)
        {
            case "CampaignMember":
            case "Opportunity":
                _rollups.Apply(schema, old, current);
                break;
            case "Campaign" when write.Kind == WriteKind.Create && !write.System:
                CreateDefaultStatuses(record.Id);
                break;
            case "CampaignMemberStatus":
            {
                var campaignId = (string)record.Values[Slot(schema, "CampaignId")]!;
                if (!_statusesByCampaign.TryGetValue(campaignId, out var list))
                {
                    _statusesByCampaign[campaignId] = list = [];
                }

                if (write.Kind == WriteKind.Create)
                {
                    list.Add(record);
                }
                else if (write.Kind == WriteKind.Delete)
                {
                    list.Remove(record);
                }

                if (current is not null && current[Slot(schema, "IsDefault")] is true)
                {
                    // Only one default status per campaign.
                    foreach (var other in list.Where(o => o != record && o["IsDefault"] is true))
                    {
                        var copy = (object?[])other.Values.Clone();
                        copy[Slot(schema, "IsDefault")] = false;
                        other.Values = copy;
                    }
                }

                break;
            }

            case "Task" when current is not null && current[Slot(schema, "ActivityDate")] is DateOnly date:
                foreach (var slot in new[] { Slot(schema, "WhoId"), Slot(schema, "WhatId") })
                {
                    if (current[slot] is string target && Find(target) is { } parent && parent.Schema.GetField("LastActivityDate") is { } lad
                        && (parent.Values[lad.Slot] is not DateOnly existing || existing < date))
                    {
                        var copy = (object?[])parent.Values.Clone();
                        copy[lad.Slot] = date;
                        parent.Values = copy;
                    }
                }

                break;
        }
    }

    private void CreateDefaultStatuses(string campaignId)
    {
        var schema = _tables["CampaignMemberStatus"].Schema;
        foreach (var (label, responded, isDefault, order) in new[] { ("Sent", false, true, 1), ("Responded", true, false, 2) })
        {
            Commit(PrepareCreate(schema,
            [
                new(schema.GetField("CampaignId")!, campaignId), new(schema.GetField("Label")!, label), new(schema.GetField("HasResponded")!, responded),
                new(schema.GetField("IsDefault")!, isDefault), new(schema.GetField("SortOrder")!, order),
            ], system: true));
        }
    }

    /// <summary>Campaign roll-up counters maintained incrementally from member and opportunity writes.</summary>
    private sealed class Rollups(OrgData org)
    {
        public void Apply(ObjectSchema schema, object?[]? old, object?[]? current)
        {
            Contribute(schema, old, -1);
            Contribute(schema, current, +1);
        }

        private void Contribute(ObjectSchema schema, object?[]? values, int sign)
        {
            if (values is null || values[Slot(schema, "CampaignId")] is not string campaignId
                || !org._tables["Campaign"].ById.TryGetValue(campaignId, out var campaign))
            {
                return;
            }

            var copy = (object?[])campaign.Values.Clone();
            var c = campaign.Schema;
            if (schema.Name == "CampaignMember")
            {
                var isContact = values[Slot(schema, "ContactId")] is not null;
                Add(copy, Slot(c, isContact ? "NumberOfContacts" : "NumberOfLeads"), sign);
                if (values[Slot(schema, "HasResponded")] is true)
                {
                    Add(copy, Slot(c, "NumberOfResponses"), sign);
                }
            }
            else
            {
                var amount = values[Slot(schema, "Amount")] as decimal? ?? 0m;
                Add(copy, Slot(c, "NumberOfOpportunities"), sign);
                AddAmount(copy, Slot(c, "AmountAllOpportunities"), sign * amount);
                if (values[Slot(schema, "IsWon")] is true)
                {
                    Add(copy, Slot(c, "NumberOfWonOpportunities"), sign);
                    AddAmount(copy, Slot(c, "AmountWonOpportunities"), sign * amount);
                }
            }

            campaign.Values = copy;
        }

        private static void Add(object?[] values, int slot, int delta) => values[slot] = (values[slot] as int? ?? 0) + delta;

        private static void AddAmount(object?[] values, int slot, decimal delta) => values[slot] = (values[slot] as decimal? ?? 0m) + delta;
    }
}
