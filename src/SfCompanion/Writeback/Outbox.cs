using System.Text.Json;
using SfCompanion.Storage;
using SfCompanion.Sync;

namespace SfCompanion.Writeback;

/// <summary>
/// The one outbox every capability writes to. Values are kept per (object, id, field); a later value for the
/// same field replaces the earlier one (last wins). Entries stay until Salesforce has accepted them, so a crash
/// or an outage loses nothing.
/// <para>
/// Values for a field the org readiness check found missing or not editable (<see cref="IFieldReadiness"/>) are not
/// queued: Salesforce would refuse them, and with them the other fields of the same record. They go straight to the
/// dead-letter list under <see cref="FieldNotReadyCode"/>, with the object, field and fix; once the org is fixed, an admin
/// re-queues them (the capability's next run queues current values anyway).
/// </para>
/// </summary>
public sealed class Outbox(IDocumentStore store, TimeProvider time, IFieldReadiness? readiness = null)
{
    public const string Kind = "outbox";
    public const string DeadKind = "outbox-dead";

    /// <summary>Error code of dead letters refused at enqueue because the org lacks the field.</summary>
    public const string FieldNotReadyCode = "SFC_FIELD_NOT_READY";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds desired values; merges with what is pending for the same records (last value wins).</summary>
    public async Task EnqueueAsync(IEnumerable<DesiredValue> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var now = time.GetUtcNow();
        var changes = new List<(string Key, Func<OutboxEntry?, OutboxEntry?> Change)>();
        foreach (var group in values.GroupBy(v => OutboxEntry.KeyOf(v.Object, v.Id), StringComparer.Ordinal))
        {
            var first = group.First();
            Validate(first);
            var accepted = new List<DesiredValue>();
            var refused = new List<(DesiredValue Value, ReadinessProblem Problem)>();
            foreach (var value in group)
            {
                if (readiness?.Refusal(value.Object, value.Field) is { } problem)
                {
                    refused.Add((value, problem));
                }
                else
                {
                    accepted.Add(value);
                }
            }

            if (refused.Count > 0)
            {
                var entry = new OutboxEntry { Object = first.Object, Id = first.Id };
                foreach (var (value, _) in refused)
                {
                    entry.Fields[value.Field] = PendingField.From(value, now);
                }

                await RefuseAsync(entry, refused.Select(r => r.Problem).ToList(), cancellationToken);
            }

            if (accepted.Count == 0)
            {
                continue;
            }

            changes.Add((group.Key, existing =>
            {
                var entry = existing ?? new OutboxEntry { Object = first.Object, Id = first.Id };
                foreach (var value in accepted)
                {
                    entry.Fields[value.Field] = PendingField.From(value, now);
                }

                // New values deserve a prompt attempt even if an earlier one is backing off.
                return entry with { NextAttemptAt = null };
            }));
            if (changes.Count == EnqueueBatch)
            {
                await UpdateManyAsync(changes, cancellationToken);
                changes.Clear();
            }
        }

        await UpdateManyAsync(changes, cancellationToken);
    }

    /// <summary>Records per store transaction when enqueuing many (one durable write for the batch, not one per record).</summary>
    private const int EnqueueBatch = 500;

    /// <summary>
    /// <see cref="UpdateAsync"/> for many entries in one atomic write with optimistic concurrency; when any entry
    /// changed meanwhile, each is applied on its own instead (read again, re-applied).
    /// </summary>
    private async Task UpdateManyAsync(List<(string Key, Func<OutboxEntry?, OutboxEntry?> Change)> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var writes = new List<DocumentWrite>(changes.Count);
        var deletes = new List<DocumentDelete>();
        foreach (var (key, change) in changes)
        {
            var doc = await store.GetAsync(Kind, key, cancellationToken);
            var current = doc is null ? null : JsonSerializer.Deserialize<OutboxEntry>(doc.Data, Json);
            var next = change(current is null ? null : current with { Fields = new(current.Fields, StringComparer.OrdinalIgnoreCase) });
            if (next is null || next.Fields.Count == 0)
            {
                if (doc is not null)
                {
                    deletes.Add(new DocumentDelete(key, doc.Version));
                }

                continue;
            }

            writes.Add(new DocumentWrite(key, JsonSerializer.Serialize(next, Json), doc?.Version ?? 0));
        }

        try
        {
            await store.PutManyAsync(Kind, writes, cancellationToken);
            await store.DeleteManyAsync(Kind, deletes, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another writer changed an entry meanwhile: each change is applied on its own (read again, re-applied);
            // a change already applied by the batch above applies again as a no-op.
            foreach (var (key, change) in changes)
            {
                await UpdateAsync(key, change, cancellationToken);
            }
        }
    }

    /// <summary>
    /// <see cref="CompleteAsync"/> for many entries: a few durable writes for the lot (one per
    /// <see cref="EnqueueBatch"/> entries) instead of one per entry.
    /// </summary>
    internal async Task CompleteManyAsync(IEnumerable<OutboxEntry> sent, CancellationToken cancellationToken)
    {
        var changes = new List<(string Key, Func<OutboxEntry?, OutboxEntry?> Change)>(EnqueueBatch);
        foreach (var entry in sent)
        {
            changes.Add((entry.Key, current => Without(current, entry)));
            if (changes.Count == EnqueueBatch)
            {
                await UpdateManyAsync(changes, cancellationToken);
                changes.Clear();
            }
        }

        await UpdateManyAsync(changes, cancellationToken);
    }

    /// <summary>Adds a record to create or upsert; its fields replace those pending under the same key.</summary>
    public async Task EnqueueRecordAsync(DesiredRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrWhiteSpace(record.Object) || string.IsNullOrWhiteSpace(record.Key) || record.Fields.Count == 0)
        {
            throw new ArgumentException($"A desired record needs an object, a key and fields (got '{record.Object}', '{record.Key}', {record.Fields.Count} fields).", nameof(record));
        }

        var now = time.GetUtcNow();
        var operation = record.ExternalIdField is null ? WriteOperation.Create : WriteOperation.Upsert;
        var problems = record.Fields.Keys.Concat(record.ExternalIdField is { } key ? [key] : [])
            .Select(f => readiness?.Refusal(record.Object, f)).OfType<ReadinessProblem>().Distinct().ToList();
        if (problems.Count > 0)
        {
            // A record is created whole or not at all: it waits in the dead letters with every field.
            var entry = new OutboxEntry { Object = record.Object, Id = record.Key, Operation = operation, ExternalIdField = record.ExternalIdField };
            foreach (var (field, value) in record.Fields)
            {
                entry.Fields[field] = PendingField.From(new DesiredValue(record.Object, record.Key, field, value, record.Source, record.Reason), now);
            }

            await RefuseAsync(entry, problems, cancellationToken);
            return;
        }

        await UpdateAsync(OutboxEntry.RecordKeyOf(record.Object, record.Key), existing =>
        {
            var entry = existing ?? new OutboxEntry { Object = record.Object, Id = record.Key, Operation = operation, ExternalIdField = record.ExternalIdField };
            foreach (var (field, value) in record.Fields)
            {
                entry.Fields[field] = PendingField.From(new DesiredValue(record.Object, record.Key, field, value, record.Source, record.Reason), now);
            }

            return entry with { NextAttemptAt = null };
        }, cancellationToken);
    }

    /// <summary>The pending create or upsert under <paramref name="key"/>, if any.</summary>
    public async Task<OutboxEntry?> GetRecordAsync(string sobject, string key, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Kind, OutboxEntry.RecordKeyOf(sobject, key), cancellationToken) is { } doc ? JsonSerializer.Deserialize<OutboxEntry>(doc.Data, Json) : null;

    private static void Validate(DesiredValue value)
    {
        if (string.IsNullOrWhiteSpace(value.Object) || string.IsNullOrWhiteSpace(value.Id) || string.IsNullOrWhiteSpace(value.Field))
        {
            throw new ArgumentException($"A desired value needs an object, an id and a field (got '{value.Object}', '{value.Id}', '{value.Field}').", nameof(value));
        }
    }

    /// <summary>
    /// Salesforce accepted <paramref name="sent"/> (or already held its values): those values leave the outbox. A value
    /// enqueued for the same field since then stays pending.
    /// </summary>
    internal Task CompleteAsync(OutboxEntry sent, CancellationToken cancellationToken) =>
        UpdateAsync(sent.Key, current => Without(current, sent), cancellationToken);

    /// <summary>A transient refusal: the entry waits until <paramref name="retryAt"/>, with the error and the attempt count.</summary>
    internal Task ScheduleRetryAsync(OutboxEntry entry, int attempts, DateTimeOffset retryAt, string lastError, CancellationToken cancellationToken) =>
        UpdateAsync(entry.Key, current => current is null ? null : current with { Attempts = attempts, NextAttemptAt = retryAt, LastError = lastError }, cancellationToken);

    /// <summary>Read-modify-write with optimistic concurrency; <paramref name="change"/> returns null to delete the entry.</summary>
    private async Task UpdateAsync(string key, Func<OutboxEntry?, OutboxEntry?> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var doc = await store.GetAsync(Kind, key, cancellationToken);
            var current = doc is null ? null : JsonSerializer.Deserialize<OutboxEntry>(doc.Data, Json);
            var next = change(current is null ? null : current with { Fields = new(current.Fields, StringComparer.OrdinalIgnoreCase) });
            try
            {
                if (next is null || next.Fields.Count == 0)
                {
                    if (doc is not null)
                    {
                        await store.DeleteAsync(Kind, key, doc.Version, cancellationToken);
                    }
                }
                else
                {
                    await store.PutAsync(Kind, new DocumentWrite(key, JsonSerializer.Serialize(next, Json), doc?.Version ?? 0), cancellationToken);
                }

                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else changed the entry between our read and write: read again and re-apply.
            }
        }
    }

    public async Task<OutboxEntry?> GetAsync(string sobject, string id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Kind, OutboxEntry.KeyOf(sobject, id), cancellationToken) is { } doc ? JsonSerializer.Deserialize<OutboxEntry>(doc.Data, Json) : null;

    /// <summary>Pending entries in key order, page by page.</summary>
    public async Task<(IReadOnlyList<OutboxEntry> Items, string? Next)> ListAsync(string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        var page = await store.ListAsync(Kind, afterKey: afterKey, limit: limit, cancellationToken: cancellationToken);
        return (page.Items.Select(d => JsonSerializer.Deserialize<OutboxEntry>(d.Data, Json)!).ToList(), page.NextAfterKey);
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => store.CountAsync(Kind, cancellationToken);

    public Task<long> CountDeadAsync(CancellationToken cancellationToken = default) => store.CountAsync(DeadKind, cancellationToken);

    public async Task<(IReadOnlyList<DeadLetter> Items, string? Next)> ListDeadAsync(string? afterKey, int limit, CancellationToken cancellationToken = default)
    {
        var page = await store.ListAsync(DeadKind, afterKey: afterKey, limit: limit, cancellationToken: cancellationToken);
        return (page.Items.Select(d => JsonSerializer.Deserialize<DeadLetter>(d.Data, Json)!).ToList(), page.NextAfterKey);
    }

    /// <summary>Moves a refused entry to the dead-letter list with the Salesforce error.</summary>
    internal async Task DeadLetterAsync(OutboxEntry entry, string errorCode, string message, IReadOnlyList<string> fields, CancellationToken cancellationToken)
    {
        var dead = new DeadLetter { Entry = entry, ErrorCode = errorCode, Message = message, ErrorFields = fields, FailedAt = time.GetUtcNow() };
        await store.PutAsync(DeadKind, new DocumentWrite(entry.Key, JsonSerializer.Serialize(dead, Json)), cancellationToken);
        // Only the values that were sent leave the outbox; anything enqueued meanwhile stays pending.
        await CompleteAsync(entry, cancellationToken);
    }

    /// <summary>Dead-letters values the org cannot take (see the class summary), merged with an earlier refusal of the same record.</summary>
    private async Task RefuseAsync(OutboxEntry entry, IReadOnlyList<ReadinessProblem> problems, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, PendingField>(entry.Fields, StringComparer.OrdinalIgnoreCase);
        var errorFields = problems.Select(p => p.Field ?? p.Object).ToList();
        if (await store.GetAsync(DeadKind, entry.Key, cancellationToken) is { } doc
            && JsonSerializer.Deserialize<DeadLetter>(doc.Data, Json) is { ErrorCode: FieldNotReadyCode } earlier)
        {
            foreach (var (field, value) in earlier.Entry.Fields)
            {
                fields.TryAdd(field, value);
            }

            errorFields = [.. earlier.ErrorFields.Concat(errorFields).Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        var dead = new DeadLetter
        {
            Entry = entry with { Fields = fields },
            ErrorCode = FieldNotReadyCode,
            Message = "Not sent: " + string.Join(" ", problems.Select(p => p.Message).Distinct(StringComparer.Ordinal)),
            ErrorFields = errorFields,
            FailedAt = time.GetUtcNow(),
        };
        await store.PutAsync(DeadKind, new DocumentWrite(entry.Key, JsonSerializer.Serialize(dead, Json)), cancellationToken);
    }

    /// <summary>Puts a dead letter back into the outbox (its values merge under newer pending ones). False when unknown.</summary>
    public async Task<bool> RequeueAsync(string sobject, string id, CancellationToken cancellationToken = default)
    {
        if (await FindDeadAsync(sobject, id, cancellationToken) is not var (key, doc))
        {
            return false;
        }

        var dead = JsonSerializer.Deserialize<DeadLetter>(doc.Data, Json)!;
        await UpdateAsync(key, current =>
        {
            var entry = current ?? new OutboxEntry { Object = dead.Entry.Object, Id = dead.Entry.Id, Operation = dead.Entry.Operation, ExternalIdField = dead.Entry.ExternalIdField };
            foreach (var (field, value) in dead.Entry.Fields)
            {
                entry.Fields.TryAdd(field, value);
            }

            return entry with { Attempts = 0, NextAttemptAt = null, LastError = null };
        }, cancellationToken);
        await store.DeleteAsync(DeadKind, key, doc.Version, cancellationToken);
        return true;
    }

    public async Task<bool> DiscardDeadAsync(string sobject, string id, CancellationToken cancellationToken = default) =>
        await FindDeadAsync(sobject, id, cancellationToken) is var (key, doc) &&
        await store.DeleteAsync(DeadKind, key, doc.Version, cancellationToken);

    /// <summary>A dead letter by record id (updates) or by its create/upsert key (records created or upserted).</summary>
    private async Task<(string Key, StoredDocument Doc)?> FindDeadAsync(string sobject, string id, CancellationToken cancellationToken)
    {
        foreach (var key in new[] { OutboxEntry.KeyOf(sobject, id), OutboxEntry.RecordKeyOf(sobject, id) })
        {
            if (await store.GetAsync(DeadKind, key, cancellationToken) is { } doc)
            {
                return (key, doc);
            }
        }

        return null;
    }

    /// <summary>The entry minus the fields whose pending value is still the one in <paramref name="sent"/>.</summary>
    private static OutboxEntry? Without(OutboxEntry? current, OutboxEntry sent)
    {
        if (current is null)
        {
            return null;
        }

        foreach (var (field, value) in sent.Fields)
        {
            if (current.Fields.TryGetValue(field, out var pending) && pending.EnqueuedAt == value.EnqueuedAt && pending.Value == value.Value)
            {
                current.Fields.Remove(field);
            }
        }

        return current;
    }
}
