using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.Writeback;

/// <summary>
/// Drains the outbox into Salesforce: diffs each pending value against the mirror (unchanged values cost no call),
/// sends the rest through sObject Collections or, for large sets, Bulk API 2.0, then updates the mirror with what
/// Salesforce accepted. The choice is made per object over everything pending (a first pass counts, a second sends),
/// so changes spread over many outbox pages still make few Bulk jobs. Transient refusals back off and retry; permanent
/// ones go to the dead-letter list. Entries leave the outbox only after Salesforce answered, so a crash or an outage
/// re-sends the same values (same effect). Runs in one process take turns (the `writeback` job's lease keeps other
/// processes out): two at once would both send the same records to create.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The run gate's SemaphoreSlim never allocates its wait handle (only WaitAsync/Release are used), so there is nothing to dispose.")]
public sealed partial class WritebackService(
    ISalesforceClient client,
    Outbox outbox,
    Mirror mirror,
    IOptions<WritebackOptions> options,
    TimeProvider time,
    ILogger<WritebackService> logger)
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG", "QUERY_TIMEOUT", "SERVICE_UNAVAILABLE", "UNKNOWN_EXCEPTION", BulkJobFailedCode,
    };

    /// <summary>Error code of entries whose Bulk job failed as a whole for a reason that names no field: retried with back-off.</summary>
    public const string BulkJobFailedCode = "SFC_BULK_JOB_FAILED";

    /// <summary>Error code of values for a field a Bulk job refused as unknown (deleted from the org, or no longer visible).</summary>
    public const string InvalidFieldCode = "INVALID_FIELD";

    /// <summary>Salesforce's answer when a Bulk job's CSV header names a field the integration user cannot see.</summary>
    private static readonly Regex FieldNotFound = new(@"Field name not found\s*:\s*(?<field>[A-Za-z0-9_]+)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    /// <summary>At most this many unknown fields are set aside, one new job each, before the rest waits for the next run.</summary>
    private const int MaxFieldsSetAside = 5;

    /// <summary>Records per sObject Collections call (the Salesforce maximum).</summary>
    private const int CollectionsChunk = 200;

    private WritebackOptions Options => options.Value;

    private readonly SemaphoreSlim _runGate = new(1, 1);

    public async Task<WritebackResult> RunAsync(Action<long, long?>? progress = null, CancellationToken cancellationToken = default)
    {
        await _runGate.WaitAsync(cancellationToken);
        try
        {
            return await RunCoreAsync(progress, cancellationToken);
        }
        finally
        {
            _runGate.Release();
        }
    }

    private async Task<WritebackResult> RunCoreAsync(Action<long, long?>? progress, CancellationToken cancellationToken)
    {
        using var run = client.Quota.BeginRun("writeback");
        var tally = new Tally();
        var total = await outbox.CountAsync(cancellationToken);
        var now = time.GetUtcNow();
        long read = 0;
        void Report(long entries)
        {
            read += entries;
            progress?.Invoke(read, Math.Max(2 * total, read));
        }

        var bulkShapes = await PlanAsync(now, tally, Report, cancellationToken);
        var stopped = await SendAsync(bulkShapes, now, tally, Report, cancellationToken);
        return tally.ToResult(run.Calls, stopped);
    }

    /// <summary>
    /// First pass over the whole outbox, page by page: completes the updates the mirror says Salesforce already holds
    /// (no call) and counts the others per object. Returns the objects (see <see cref="ShapeOf"/>) with at least
    /// <see cref="WritebackOptions.BulkThreshold"/> changed records: only counts are kept, so memory stays flat
    /// however large the outbox.
    /// </summary>
    private async Task<HashSet<string>> PlanAsync(DateTimeOffset now, Tally tally, Action<long> report, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var held = new List<OutboxEntry>();
        string? after = null;
        do
        {
            var (entries, next) = await outbox.ListAsync(after, Options.PageSize, cancellationToken);
            after = next;
            foreach (var entry in entries)
            {
                tally.Examined++;
                if (entry.Operation != WriteOperation.Update || IsBackingOff(entry, now))
                {
                    continue;
                }

                var changed = await ChangedFieldsAsync(entry, cancellationToken);
                if (changed.Count == 0)
                {
                    tally.Unchanged++;
                    held.Add(entry);
                    continue;
                }

                var shape = ShapeOf(entry.Object, changed);
                counts[shape] = counts.GetValueOrDefault(shape) + 1;
            }

            // Values Salesforce already holds leave the outbox a page at a time (a few durable writes, not one each).
            await outbox.CompleteManyAsync(held, cancellationToken);
            held.Clear();

            report(entries.Count);
        }
        while (after is not null);

        return counts.Where(c => c.Value >= Options.BulkThreshold).Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// What updates share a Bulk job: their object. A job's columns are the union of its records' changed fields, and
    /// a record leaves the others' cells empty, which Bulk API 2.0 leaves unchanged (a cleared value is sent as
    /// <c>#N/A</c>): records changing different fields of one object cost one set of jobs, not one per field set.
    /// </summary>
    private static string ShapeOf(string sobject, Dictionary<string, PendingField> changed)
    {
        _ = changed;
        return sobject;
    }

    private static bool IsBackingOff(OutboxEntry entry, DateTimeOffset now) => entry.NextAttemptAt is { } due && due > now;

    /// <summary>
    /// Second pass, page by page: records (creates and upserts, whose keys sort first) are sent as each page brings
    /// them; updates are diffed again (the mirror or the outbox may have moved since the plan) and buffered: those of a
    /// shape the plan sent to Bulk go in jobs of up to <see cref="WritebackOptions.BulkJobSize"/> records, the others in
    /// sObject Collections calls of 200. Outbox keys are grouped by object, so the buffers are sent when the object
    /// changes, and the Bulk buffers never hold more than <see cref="WritebackOptions.BulkJobSize"/> records in all.
    /// Returns why it stopped early, if it did.
    /// </summary>
    private async Task<string?> SendAsync(HashSet<string> bulkShapes, DateTimeOffset now, Tally tally, Action<long> report, CancellationToken cancellationToken)
    {
        var collections = new List<Item>(CollectionsChunk);
        var bulk = new Dictionary<string, List<Item>>(StringComparer.OrdinalIgnoreCase);
        var buffered = 0;
        string? sobject = null;

        async Task SendBulkBufferAsync(string shape)
        {
            var items = bulk[shape];
            bulk.Remove(shape);
            buffered -= items.Count;
            await SendBulkAsync(items[0].Entry.Object, items, tally, cancellationToken);
        }

        async Task FlushAsync()
        {
            if (collections.Count > 0)
            {
                var items = collections.ToList();
                collections.Clear();
                await SendCollectionsAsync(items[0].Entry.Object, items, tally, cancellationToken);
            }

            foreach (var shape in bulk.Keys.ToList())
            {
                await SendBulkBufferAsync(shape);
            }
        }

        try
        {
            string? after = null;
            do
            {
                var (entries, next) = await outbox.ListAsync(after, Options.PageSize, cancellationToken);
                after = next;

                // Records first: updates may need them (a member status that must exist).
                var records = entries.Where(e => e.Operation != WriteOperation.Update && !IsBackingOff(e, now)).ToList();
                foreach (var group in records.GroupBy(e => (e.Object, e.Operation, e.ExternalIdField)))
                {
                    await SendRecordsAsync(group.Key.Object, group.Key.Operation, group.Key.ExternalIdField, group.ToList(), tally, cancellationToken);
                }

                foreach (var entry in entries)
                {
                    if (entry.Operation != WriteOperation.Update || IsBackingOff(entry, now))
                    {
                        continue;
                    }

                    if (sobject is not null && !string.Equals(sobject, entry.Object, StringComparison.OrdinalIgnoreCase))
                    {
                        await FlushAsync();
                    }

                    sobject = entry.Object;
                    var changed = await ChangedFieldsAsync(entry, cancellationToken);
                    if (changed.Count == 0)
                    {
                        // Salesforce already holds it (a sync or an earlier answer since the plan): no call.
                        tally.Unchanged++;
                        await outbox.CompleteAsync(entry, cancellationToken);
                        continue;
                    }

                    var shape = ShapeOf(entry.Object, changed);
                    if (!bulkShapes.Contains(shape))
                    {
                        collections.Add(new Item(entry, changed));
                        if (collections.Count == CollectionsChunk)
                        {
                            var chunk = collections.ToList();
                            collections.Clear();
                            await SendCollectionsAsync(entry.Object, chunk, tally, cancellationToken);
                        }

                        continue;
                    }

                    if (!bulk.TryGetValue(shape, out var job))
                    {
                        bulk[shape] = job = [];
                    }

                    job.Add(new Item(entry, changed));
                    buffered++;
                    if (job.Count >= Options.BulkJobSize)
                    {
                        await SendBulkBufferAsync(shape);
                    }
                    else if (buffered >= Options.BulkJobSize)
                    {
                        // Several objects' buffers share the memory bound: the largest goes first.
                        await SendBulkBufferAsync(bulk.MaxBy(b => b.Value.Count).Key);
                    }
                }

                report(entries.Count);
            }
            while (after is not null);

            await FlushAsync();
            return null;
        }
        catch (SalesforceBudgetExhaustedException ex)
        {
            LogStopped(ex.Message);
            return ex.Message;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            var stopped = "Salesforce is unreachable or failing (" + ex.Message + "); pending values stay in the outbox for the next run.";
            LogStopped(stopped);
            return stopped;
        }
    }

    /// <summary>An update to send: the outbox entry and its fields that differ from the mirror.</summary>
    private sealed record Item(OutboxEntry Entry, Dictionary<string, PendingField> Changed);

    /// <summary>The entry's fields whose pending value differs from the mirror (all of them when the record is not mirrored).</summary>
    private async Task<Dictionary<string, PendingField>> ChangedFieldsAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var current = await mirror.GetAsync(entry.Object, entry.Id, cancellationToken);
        var changed = new Dictionary<string, PendingField>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, pending) in entry.Fields)
        {
            // A field the mirror does not hold (not synced, and its document replaced by a sync since SfCompanion wrote
            // it) is unknown, not blank: it is sent.
            if (current is null || !current.Fields.ContainsKey(field) || !FieldValues.AreEqual(pending.Value, current[field]))
            {
                changed[field] = pending;
            }
        }

        return changed;
    }

    private static bool IsOutage(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException }
        || (ex is SalesforceApiException api && (int)api.HttpStatus >= 500);

    private async Task SendCollectionsAsync(string sobject, List<Item> items, Tally tally, CancellationToken cancellationToken)
    {
        // One call per chunk, results applied before the next: if the budget runs out mid-way, what Salesforce
        // already accepted is recorded and not sent again.
        foreach (var chunk in items.Chunk(CollectionsChunk))
        {
            var records = chunk.Select(i => ToRecord(sobject, i.Entry.Id, i.Changed)).ToList();
            var results = await client.UpdateAsync(records, new CollectionOptions { AllOrNone = false }, cancellationToken);
            tally.Sent += records.Count;
            var accepted = new List<Item>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var result = results[i];
                if (result.Success)
                {
                    accepted.Add(chunk[i]);
                }
                else
                {
                    var error = result.Errors.Count > 0 ? result.Errors[0] : new SalesforceError("UNKNOWN_EXCEPTION", "Salesforce gave no reason.", []);
                    await RefusedAsync(chunk[i].Entry, error.ErrorCode, error.Message, error.Fields, tally, cancellationToken);
                }
            }

            await AcceptedAsync(sobject, accepted, tally, cancellationToken);
        }
    }

    private async Task SendRecordsAsync(string sobject, WriteOperation operation, string? externalIdField, List<OutboxEntry> entries, Tally tally, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(CollectionsChunk))
        {
            var records = chunk.Select(e =>
            {
                var record = ToRecord(sobject, null, e.Fields);
                if (externalIdField is not null)
                {
                    record[externalIdField] = e.Id;
                }

                return record;
            }).ToList();
            var results = operation == WriteOperation.Upsert
                ? await client.UpsertAsync(sobject, externalIdField!, records, new CollectionOptions { AllOrNone = false }, cancellationToken)
                : await client.CreateAsync(records, new CollectionOptions { AllOrNone = false }, cancellationToken);
            tally.Sent += records.Count;
            for (var i = 0; i < chunk.Length; i++)
            {
                var entry = chunk[i];
                var result = results[i];
                if (result.Success)
                {
                    tally.Succeeded++;
                    if (result.Id is { } id)
                    {
                        var fields = entry.Fields.ToDictionary(f => f.Key, f => f.Value.Value, StringComparer.OrdinalIgnoreCase);
                        if (externalIdField is not null)
                        {
                            fields[externalIdField] = entry.Id;
                        }

                        await mirror.PutWrittenBackAsync(sobject, id, fields, created: true, cancellationToken);
                    }

                    await outbox.CompleteAsync(entry, cancellationToken);
                }
                else if (operation == WriteOperation.Create && result.ErrorCode == "DUPLICATE_VALUE")
                {
                    // Already there (created by an earlier pass whose answer was lost, or by someone else): done.
                    tally.Succeeded++;
                    await outbox.CompleteAsync(entry, cancellationToken);
                }
                else
                {
                    var error = result.Errors.Count > 0 ? result.Errors[0] : new SalesforceError("UNKNOWN_EXCEPTION", "Salesforce gave no reason.", []);
                    await RefusedAsync(entry, error.ErrorCode, error.Message, error.Fields, tally, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// One Bulk API 2.0 ingest for updates of one object (the columns are the union of the records' changed fields).
    /// A job Salesforce fails as a whole because a column names a field it does not know (deleted from the org, or the
    /// integration user lost access) would fail every record of the object, run after run: that field's values go to
    /// the dead-letter list with Salesforce's message, and the records' other fields are sent again at once. Any other
    /// job-level failure is retried with back-off like a transient error, then dead-lettered.
    /// </summary>
    private async Task SendBulkAsync(string sobject, List<Item> items, Tally tally, CancellationToken cancellationToken, int fieldsSetAside = 0)
    {
        var byId = new Dictionary<string, Item>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
        {
            byId[item.Entry.Id] = item;
        }

        tally.Sent += items.Count;
        var result = await client.BulkIngestAsync(sobject, BulkOperation.Update, items.Select(i => ToRecord(sobject, i.Entry.Id, i.Changed, forCsv: true)), cancellationToken: cancellationToken);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new List<Item>(result.Successful.Count);
        foreach (var row in result.Successful)
        {
            if (Match(byId, row.Id) is { } item && answered.Add(item.Entry.Id))
            {
                accepted.Add(item);
            }
        }

        await AcceptedAsync(sobject, accepted, tally, cancellationToken);

        foreach (var row in result.Failed)
        {
            if (Match(byId, row.Id ?? row.Fields.GetValueOrDefault("Id")) is { } item && answered.Add(item.Entry.Id))
            {
                await RefusedAsync(item.Entry, row.ErrorCode, row.Error, [], tally, cancellationToken);
            }
        }

        var unanswered = answered.Count == items.Count ? [] : items.Where(i => !answered.Contains(i.Entry.Id)).ToList();
        if (unanswered.Count > 0 && result.Jobs.FirstOrDefault(j => j.State == "Failed") is { } failed)
        {
            var message = string.IsNullOrWhiteSpace(failed.ErrorMessage) ? $"Bulk job {failed.Id} failed without a message." : failed.ErrorMessage;
            if (FieldNotFound.Match(message) is { Success: true } match && fieldsSetAside < MaxFieldsSetAside
                && unanswered.Any(i => i.Changed.ContainsKey(match.Groups["field"].Value)))
            {
                tally.Sent -= unanswered.Count;
                var rest = await SetFieldAsideAsync(sobject, match.Groups["field"].Value, message, unanswered, tally, cancellationToken);
                if (rest.Count > 0)
                {
                    await SendBulkAsync(sobject, rest, tally, cancellationToken, fieldsSetAside + 1);
                }

                return;
            }

            LogBulkJobFailed(sobject, failed.Id, unanswered.Count, message);
            foreach (var item in unanswered)
            {
                await RefusedAsync(item.Entry, BulkJobFailedCode, message, [], tally, cancellationToken);
            }

            return;
        }

        // Unprocessed rows were never attempted: they stay pending for the next pass.
        tally.Retrying += unanswered.Count;
    }

    /// <summary>
    /// Dead-letters <paramref name="field"/>'s values of these records (only that field leaves the outbox) and returns the
    /// records with their other changed fields, to send again.
    /// </summary>
    private async Task<List<Item>> SetFieldAsideAsync(string sobject, string field, string message, List<Item> items, Tally tally, CancellationToken cancellationToken)
    {
        LogFieldSetAside(sobject, field, items.Count, message);
        var explained = $"{message} ({sobject}.{field} is missing from the org or not visible to the integration user: its values were set aside and "
            + "the records' other fields sent. Restore the field or its access (see the sync page's readiness problems), then requeue.)";
        var rest = new List<Item>(items.Count);
        foreach (var item in items)
        {
            if (!item.Changed.TryGetValue(field, out var value))
            {
                rest.Add(item);
                continue;
            }

            var key = item.Entry.Fields.Keys.FirstOrDefault(k => string.Equals(k, field, StringComparison.OrdinalIgnoreCase)) ?? field;
            var refused = item.Entry with { Fields = new(StringComparer.OrdinalIgnoreCase) { [key] = item.Entry.Fields.GetValueOrDefault(key) ?? value } };
            tally.DeadLettered++;
            await outbox.DeadLetterAsync(refused with { Attempts = item.Entry.Attempts + 1 }, InvalidFieldCode, explained, [field], cancellationToken);
            var others = item.Changed.Where(c => !string.Equals(c.Key, field, StringComparison.OrdinalIgnoreCase)).ToDictionary(c => c.Key, c => c.Value, StringComparer.OrdinalIgnoreCase);
            if (others.Count > 0)
            {
                var remaining = new Dictionary<string, PendingField>(item.Entry.Fields, StringComparer.OrdinalIgnoreCase);
                remaining.Remove(key);
                rest.Add(new Item(item.Entry with { Fields = remaining }, others));
            }
        }

        return rest;
    }

    private static Item? Match(Dictionary<string, Item> byId, string? id) =>
        id is not null && byId.TryGetValue(id, out var item) ? item : null;

    private static SObjectRecord ToRecord(string sobject, string? id, Dictionary<string, PendingField> changed, bool forCsv = false)
    {
        var record = new SObjectRecord(sobject, changed.Count + 1);
        if (id is not null)
        {
            record.Id = id;
        }

        foreach (var (field, pending) in changed)
        {
            record[field] = forCsv ? pending.Value : pending.ToWireValue();
        }

        return record;
    }

    /// <summary>
    /// Salesforce accepted these updates: the mirror takes their values, then they leave the outbox (unchanged fields of
    /// an entry were already equal in the mirror, so they leave too), in batches of durable writes, not one per record.
    /// Mirror first: a crash in between leaves entries the next run finds already held (no call).
    /// </summary>
    private async Task AcceptedAsync(string sobject, List<Item> accepted, Tally tally, CancellationToken cancellationToken)
    {
        foreach (var batch in accepted.Chunk(AcceptBatch))
        {
            tally.Succeeded += batch.Length;
            await mirror.PutWrittenBackManyAsync(
                sobject,
                [.. batch.Select(i => (i.Entry.Id, (IReadOnlyDictionary<string, string?>)i.Changed.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.OrdinalIgnoreCase)))],
                created: false,
                cancellationToken);
            await outbox.CompleteManyAsync(batch.Select(i => i.Entry), cancellationToken);
        }
    }

    /// <summary>Accepted records recorded per mirror write and outbox batch.</summary>
    private const int AcceptBatch = 500;

    private async Task RefusedAsync(OutboxEntry entry, string errorCode, string message, IReadOnlyList<string> fields, Tally tally, CancellationToken cancellationToken)
    {
        var attempts = entry.Attempts + 1;
        if (TransientCodes.Contains(errorCode) && attempts < Options.MaxAttempts)
        {
            tally.Retrying++;
            var delay = TimeSpan.FromSeconds(Math.Min(3600, Options.RetryBaseSeconds * Math.Pow(2, attempts - 1)) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
            var retryAt = time.GetUtcNow() + delay;
            await outbox.ScheduleRetryAsync(entry, attempts, retryAt, $"{errorCode}: {message}", cancellationToken);
            return;
        }

        tally.DeadLettered++;
        LogDeadLetter(entry.Object, entry.Id, errorCode, message);
        await outbox.DeadLetterAsync(entry with { Attempts = attempts }, errorCode, message, fields, cancellationToken);
    }

    private sealed class Tally
    {
        public long Examined { get; set; }

        public long Unchanged { get; set; }

        public long Sent { get; set; }

        public long Succeeded { get; set; }

        public long Retrying { get; set; }

        public long DeadLettered { get; set; }

        public WritebackResult ToResult(CallCounter calls, string? stoppedBecause) => new()
        {
            Examined = Examined,
            Unchanged = Unchanged,
            Sent = Sent,
            Succeeded = Succeeded,
            Retrying = Retrying,
            DeadLettered = DeadLettered,
            ApiCalls = calls.ApiCalls,
            CallsByOperation = calls.Snapshot(),
            StoppedBecause = stoppedBecause,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writeback stopped early: {Reason}")]
    private partial void LogStopped(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job for {Object} refused the field {Field} ({Message}): its values of {Records} record(s) were moved to the dead-letter list and the other fields sent again")]
    private partial void LogFieldSetAside(string @object, string field, int records, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk job {JobId} for {Object} failed ({Message}); its {Records} record(s) are retried with back-off")]
    private partial void LogBulkJobFailed(string @object, string jobId, int records, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce refused {Object} {Id}: {ErrorCode} {Message}; moved to the dead-letter list")]
    private partial void LogDeadLetter(string @object, string id, string errorCode, string message);
}
