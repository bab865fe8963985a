using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.Writeback;

/// <summary>
/// Drains the outbox into Salesforce: diffs each pending value against the mirror (unchanged values cost no call),
/// sends the rest through sObject Collections or, for large sets, Bulk API 2.0, then updates the mirror with what
/// Salesforce accepted. Transient refusals back off and retry; permanent ones go to the dead-letter list. Entries
/// leave the outbox only after Salesforce answered, so a crash or an outage re-sends the same values (same effect).
/// </summary>
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
        "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_RUNNING_TOO_LONG", "QUERY_TIMEOUT", "SERVICE_UNAVAILABLE", "UNKNOWN_EXCEPTION",
    };

    /// <summary>Records per sObject Collections call (the Salesforce maximum).</summary>
    private const int CollectionsChunk = 200;

    private WritebackOptions Options => options.Value;

    public async Task<WritebackResult> RunAsync(Action<long, long?>? progress = null, CancellationToken cancellationToken = default)
    {
        using var run = client.Quota.BeginRun("writeback");
        var tally = new Tally();
        var total = await outbox.CountAsync(cancellationToken);
        string? after = null;
        string? stopped;
        do
        {
            var (entries, next) = await outbox.ListAsync(after, Options.PageSize, cancellationToken);
            after = next;
            var page = await SortPageAsync(entries, tally, cancellationToken);
            stopped = await SendPageAsync(page, tally, cancellationToken);
            progress?.Invoke(tally.Examined, Math.Max(total, tally.Examined));
        }
        while (after is not null && stopped is null);

        return tally.ToResult(run.Calls, stopped);
    }

    /// <summary>What one page of the outbox asks for: records to create or upsert, and updates that differ from the mirror.</summary>
    private sealed record Page(List<OutboxEntry> ToCreate, List<(OutboxEntry Entry, Dictionary<string, PendingField> Changed)> ToUpdate);

    /// <summary>
    /// Skips entries that are backing off, completes those the mirror says Salesforce already holds (no call), and
    /// sorts the rest into creates and updates (each update keeping only its changed fields).
    /// </summary>
    private async Task<Page> SortPageAsync(IReadOnlyList<OutboxEntry> entries, Tally tally, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var page = new Page([], []);
        foreach (var entry in entries)
        {
            tally.Examined++;
            if (entry.NextAttemptAt is { } due && due > now)
            {
                continue;
            }

            if (entry.Operation != WriteOperation.Update)
            {
                // No Salesforce Id to diff against: creates and upserts are sent as they are.
                page.ToCreate.Add(entry);
                continue;
            }

            var changed = await ChangedFieldsAsync(entry, cancellationToken);
            if (changed.Count == 0)
            {
                tally.Unchanged++;
                await outbox.CompleteAsync(entry, cancellationToken);
            }
            else
            {
                page.ToUpdate.Add((entry, changed));
            }
        }

        return page;
    }

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

    /// <summary>Sends a page: records first, then updates by object (Bulk above the threshold). Returns why it stopped early, if it did.</summary>
    private async Task<string?> SendPageAsync(Page page, Tally tally, CancellationToken cancellationToken)
    {
        try
        {
            // Records first: updates in the same pass may need them (a member status that must exist).
            foreach (var group in page.ToCreate.GroupBy(e => (e.Object, e.Operation, e.ExternalIdField)))
            {
                await SendRecordsAsync(group.Key.Object, group.Key.Operation, group.Key.ExternalIdField, group.ToList(), tally, cancellationToken);
            }

            foreach (var group in page.ToUpdate.GroupBy(e => e.Entry.Object, StringComparer.OrdinalIgnoreCase))
            {
                var items = group.ToList();
                if (items.Count >= Options.BulkThreshold)
                {
                    await SendBulkAsync(group.Key, items, tally, cancellationToken);
                }
                else
                {
                    await SendCollectionsAsync(group.Key, items, tally, cancellationToken);
                }
            }

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

    private static bool IsOutage(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException }
        || (ex is SalesforceApiException api && (int)api.HttpStatus >= 500);

    private async Task SendCollectionsAsync(string sobject, List<(OutboxEntry Entry, Dictionary<string, PendingField> Changed)> items, Tally tally, CancellationToken cancellationToken)
    {
        // One call per chunk, results applied before the next: if the budget runs out mid-way, what Salesforce
        // already accepted is recorded and not sent again.
        foreach (var chunk in items.Chunk(CollectionsChunk))
        {
            var records = chunk.Select(i => ToRecord(sobject, i.Entry.Id, i.Changed)).ToList();
            var results = await client.UpdateAsync(records, new CollectionOptions { AllOrNone = false }, cancellationToken);
            tally.Sent += records.Count;
            for (var i = 0; i < chunk.Length; i++)
            {
                var result = results[i];
                if (result.Success)
                {
                    await AcceptedAsync(chunk[i].Entry, chunk[i].Changed, tally, cancellationToken);
                }
                else
                {
                    var error = result.Errors.Count > 0 ? result.Errors[0] : new SalesforceError("UNKNOWN_EXCEPTION", "Salesforce gave no reason.", []);
                    await RefusedAsync(chunk[i].Entry, error.ErrorCode, error.Message, error.Fields, tally, cancellationToken);
                }
            }
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

                        await mirror.PutAsync(sobject, [new MirrorRecord(sobject, id, fields)], merge: true, cancellationToken);
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

    private async Task SendBulkAsync(string sobject, List<(OutboxEntry Entry, Dictionary<string, PendingField> Changed)> items, Tally tally, CancellationToken cancellationToken)
    {
        // A Bulk job has one column set: records that change different fields go in separate jobs.
        foreach (var shape in items.GroupBy(i => string.Join(',', i.Changed.Keys.Order(StringComparer.OrdinalIgnoreCase)), StringComparer.OrdinalIgnoreCase))
        {
            var batch = shape.ToList();
            var byId = batch.ToDictionary(i => i.Entry.Id, StringComparer.Ordinal);
            tally.Sent += batch.Count;
            var records = batch.Select(i => ToRecord(sobject, i.Entry.Id, i.Changed, forCsv: true)).ToList();
            var result = await client.BulkIngestAsync(sobject, BulkOperation.Update, records, cancellationToken: cancellationToken);
            var answered = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in result.Successful)
            {
                if (Match(byId, row.Id) is { } item && answered.Add(item.Entry.Id))
                {
                    await AcceptedAsync(item.Entry, item.Changed, tally, cancellationToken);
                }
            }

            foreach (var row in result.Failed)
            {
                if (Match(byId, row.Id ?? row.Fields.GetValueOrDefault("Id")) is { } item && answered.Add(item.Entry.Id))
                {
                    await RefusedAsync(item.Entry, row.ErrorCode, row.Error, [], tally, cancellationToken);
                }
            }

            // Unprocessed rows were never attempted: they stay pending for the next pass.
            tally.Retrying += batch.Count - answered.Count;
        }
    }

    private static (OutboxEntry Entry, Dictionary<string, PendingField> Changed)? Match(
        Dictionary<string, (OutboxEntry Entry, Dictionary<string, PendingField> Changed)> byId, string? id) =>
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

    private async Task AcceptedAsync(OutboxEntry entry, Dictionary<string, PendingField> sent, Tally tally, CancellationToken cancellationToken)
    {
        tally.Succeeded++;
        if (await mirror.GetAsync(entry.Object, entry.Id, cancellationToken) is not null)
        {
            await mirror.PutAsync(entry.Object, [new MirrorRecord(entry.Object, entry.Id, sent.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.OrdinalIgnoreCase))], merge: true, cancellationToken);
        }

        // Unchanged fields of the entry were already equal in the mirror: they leave the outbox too.
        await outbox.CompleteAsync(entry, cancellationToken);
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Salesforce refused {Object} {Id}: {ErrorCode} {Message}; moved to the dead-letter list")]
    private partial void LogDeadLetter(string @object, string id, string errorCode, string message);
}
