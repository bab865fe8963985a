using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

/// <summary>
/// Keeps the mirror current: initial load (Bulk API 2.0 above the threshold, REST below), then incremental
/// reads by <c>SystemModstamp</c> with an overlap window, through <c>queryAll</c> so soft deletes arrive in
/// the same query. A full re-read removes records that were hard-deleted while the sync was away too long.
/// The state is saved after every page: a crash resumes from the last page written, without gaps.
/// </summary>
public sealed partial class SyncService(
    ISalesforceClient client,
    Mirror mirror,
    SyncStateStore states,
    SchemaStore schemas,
    SyncObjectCatalog catalog,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<SyncService> logger)
{
    private const int WriteBatch = 1000;

    /// <summary>Records per mirror transaction in a Bulk load: few commits (each an fsync), memory still bounded.</summary>
    private const int BulkWriteBatch = 10_000;

    private SyncOptions Options => options.Value;

    /// <summary>
    /// Syncs every configured object in dependency order. Objects due for an initial load, a full re-read or a describe
    /// run one by one; all the others share one batched incremental pass (<see cref="IncrementalBatchAsync"/>), so an
    /// idle org costs one Composite call per 5 objects. An object Salesforce refuses (removed, permission lost) fails
    /// alone, with Salesforce's error in its sync state. Stops cleanly when the API budget is spent.
    /// </summary>
    public async Task<SyncRunResult> SyncAllAsync(SyncProgress? progress = null, CancellationToken cancellationToken = default)
    {
        using var pass = await mirror.BeginPassAsync(cancellationToken);
        var results = new List<ObjectSyncResult>();
        var incremental = new List<SyncObjectOptions>();
        var due = new List<SyncObjectOptions>();
        foreach (var sobject in catalog.Objects)
        {
            (await IsIncrementalAsync(sobject, cancellationToken) ? incremental : due).Add(sobject);
        }

        var prepared = due.Count > 1 ? await PrepareLoadsAsync(due, cancellationToken) : [];
        try
        {
            foreach (var sobject in due)
            {
                try
                {
                    prepared.Remove(sobject.Name, out var load);
                    results.Add(await SyncObjectCoreAsync(sobject.Name, progress, load, cancellationToken));
                }
                catch (SalesforceBudgetExhaustedException ex)
                {
                    LogBudgetStop(sobject.Name, ex.Message);
                    return new SyncRunResult(results, false, ex.Message);
                }
                catch (SalesforceException ex)
                {
                    // SyncObjectAsync saved the error in the object's state; the other objects go on.
                    LogObjectFailed(sobject.Name, ex.Message);
                    results.Add(new ObjectSyncResult(sobject.Name, SyncModes.Failed, 0, 0, 0, TimeSpan.Zero) { Error = ex.Message });
                }
            }
        }
        finally
        {
            await AbortUnreadAsync(prepared.Values);
        }

        if (incremental.Count == 0)
        {
            return new SyncRunResult(results, true, null);
        }

        var batch = await IncrementalBatchCoreAsync(incremental, progress, cancellationToken);
        results.AddRange(batch.Objects);
        return new SyncRunResult(results, batch.Completed, batch.StoppedBecause) { SharedApiCalls = batch.SharedApiCalls };
    }

    /// <summary>
    /// Why the scheduled pass should be skipped, or null to run it: when the org's daily API usage has reached
    /// <see cref="SyncOptions.SlowDownAtUsedPercent"/>, passes are spaced by <see cref="SyncOptions.SlowDownIntervalMinutes"/>.
    /// </summary>
    public async Task<string?> SlowDownReasonAsync(CancellationToken cancellationToken = default)
    {
        if (client.LastApiUsage is not { } usage || usage.UsedPercent < Options.SlowDownAtUsedPercent || Options.SlowDownAtUsedPercent >= 100)
        {
            return null;
        }

        var last = (await states.ListAsync(cancellationToken)).Max(s => s.LastSuccessAt);
        var interval = TimeSpan.FromMinutes(Options.SlowDownIntervalMinutes);
        var now = time.GetUtcNow();
        if (last is null || now - last >= interval - TimeSpan.FromSeconds(5))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"Pass skipped: the org has used {usage.Used} of {usage.Limit} daily API requests ({usage.UsedPercent:0.#}%), at or above Sync:SlowDownAtUsedPercent = {Options.SlowDownAtUsedPercent}%, so the sync runs at most every {Options.SlowDownIntervalMinutes} minutes (last pass {last:u}, next from {last + interval:u}).");
    }

    /// <summary>Whether the object's next run is a plain incremental read (no describe, initial load or full re-read due).</summary>
    /// <summary>
    /// For the objects about to be loaded whole (initial load, full re-read), one after the other: counts each (the count
    /// its load makes anyway) and creates the Bulk query job of each large one now, so that Salesforce prepares the
    /// later objects' results while the earlier ones are written, instead of each load waiting for its own job. Costs
    /// no call more than loading them one by one. An object refused here is left to its own load, which records why.
    /// </summary>
    private async Task<Dictionary<string, PreparedLoad>> PrepareLoadsAsync(List<SyncObjectOptions> due, CancellationToken cancellationToken)
    {
        var prepared = new Dictionary<string, PreparedLoad>(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        foreach (var sobject in due)
        {
            var state = await states.GetAsync(sobject.Name, cancellationToken) ?? new SyncState { Object = sobject.Name };
            if (!LoadsWhole(sobject, state, now))
            {
                continue;
            }

            using var run = client.Quota.BeginRun("sync:" + sobject.Name);
            try
            {
                var total = await client.CountAsync(CountSoql(sobject), cancellationToken: cancellationToken);
                BulkQueryJob? job = null;
                var readAt = Stopwatch.GetTimestamp();
                if (total >= Options.BulkThreshold)
                {
                    job = await client.StartBulkQueryAsync(BulkSoql(sobject), new BulkQueryOptions(), cancellationToken);
                }

                prepared[sobject.Name] = new PreparedLoad(total, job, readAt, run.Calls.ApiCalls);
            }
            catch (SalesforceException)
            {
                // Budget spent or the object refused: its own load meets the same answer and handles it.
                break;
            }
        }

        return prepared;
    }

    /// <summary>Aborts Bulk jobs started ahead that were not read (a pass stopped early); failures only logged.</summary>
    private async Task AbortUnreadAsync(IEnumerable<PreparedLoad> unread)
    {
        foreach (var job in unread.Select(p => p.Job).OfType<BulkQueryJob>())
        {
            try
            {
                await client.AbortBulkQueryAsync(job, CancellationToken.None);
            }
            catch (Exception ex) when (ex is SalesforceException or HttpRequestException)
            {
                LogAbortFailed(job.Id, ex.Message);
            }
        }
    }

    /// <summary>Whether the object's next sync reads it whole from the start (not incremental, not a resumed REST load).</summary>
    private bool LoadsWhole(SyncObjectOptions sobject, SyncState state, DateTimeOffset now)
    {
        if (!state.InitialComplete)
        {
            return !(state.Mode == SyncModes.Rest && state.Watermark is not null);
        }

        return (state.LastSuccessAt is { } last && now - last > TimeSpan.FromDays(Options.DeleteWindowDays))
            || (state.Fields is { } had && sobject.Fields.Except(had, StringComparer.OrdinalIgnoreCase).Any());
    }

    /// <summary>An object's count and, for a Bulk load, its job created ahead, with when it was created and the calls it cost.</summary>
    private sealed record PreparedLoad(long Total, BulkQueryJob? Job, long ReadAt, long Calls);

    private static string CountSoql(SyncObjectOptions sobject) => $"SELECT COUNT() FROM {sobject.Name}{WhereClause(sobject.Where)}";

    private static string BulkSoql(SyncObjectOptions sobject) => $"SELECT {string.Join(", ", sobject.Fields)} FROM {sobject.Name}{WhereClause(sobject.Where)}";

    private async Task<bool> IsIncrementalAsync(SyncObjectOptions sobject, CancellationToken cancellationToken)
    {
        var state = await states.GetAsync(sobject.Name, cancellationToken);
        return state is { InitialComplete: true }
            && !(state.LastSuccessAt is { } last && time.GetUtcNow() - last > TimeSpan.FromDays(Options.DeleteWindowDays))
            && !(state.Fields is { } had && sobject.Fields.Except(had, StringComparer.OrdinalIgnoreCase).Any())
            && await schemas.GetAsync(sobject.Name, cancellationToken) is not null;
    }

    /// <summary>
    /// One incremental pass over several objects: their <c>queryAll</c> first pages go as Composite subrequests (5 per
    /// call, one API call each), then every object's <c>nextRecordsUrl</c> the same way, several objects' next pages per
    /// call. An object whose change set reaches <see cref="SyncOptions.BulkThreshold"/> is read by a Bulk API 2.0
    /// <c>queryAll</c> instead. A refused subrequest fails its object only.
    /// </summary>
    public async Task<SyncRunResult> IncrementalBatchAsync(IReadOnlyList<SyncObjectOptions> objects, SyncProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        using var pass = await mirror.BeginPassAsync(cancellationToken);
        return await IncrementalBatchCoreAsync(objects, progress, cancellationToken);
    }

    private async Task<SyncRunResult> IncrementalBatchCoreAsync(IReadOnlyList<SyncObjectOptions> objects, SyncProgress? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        using var run = client.Quota.BeginRun("sync:incremental");
        var (cursors, pending) = await OpenCursorsAsync(objects, cancellationToken);
        string? stoppedBecause = null;
        try
        {
            while (pending.Count > 0)
            {
                pending = await ReadRoundAsync(cursors, pending, progress, cancellationToken);
            }
        }
        catch (SalesforceBudgetExhaustedException ex)
        {
            LogBudgetStop(string.Join(", ", pending.Select(p => cursors[p.ReferenceId].Object.Name)), ex.Message);
            stoppedBecause = ex.Message;
        }

        var unfinished = stoppedBecause is null ? [] : pending.Select(p => p.ReferenceId).ToHashSet(StringComparer.Ordinal);
        var results = await FinishCursorsAsync(cursors, unfinished, started, now, cancellationToken);
        var shared = run.Calls.ApiCalls - results.Sum(r => r.ApiCalls);
        return new SyncRunResult(results, stoppedBecause is null, stoppedBecause) { SharedApiCalls = shared };
    }

    /// <summary>A cursor per object, from its watermark, and the <c>queryAll</c> first page of each to ask for.</summary>
    private async Task<(Dictionary<string, Cursor> Cursors, List<CompositeQuery> Pending)> OpenCursorsAsync(IReadOnlyList<SyncObjectOptions> objects, CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, Cursor>(StringComparer.Ordinal);
        var pending = new List<CompositeQuery>();
        foreach (var sobject in objects)
        {
            var state = await states.GetAsync(sobject.Name, cancellationToken) ?? new SyncState { Object = sobject.Name };
            var from = IncrementalFrom(state);
            var soql = $"SELECT {string.Join(", ", sobject.Fields)} FROM {sobject.Name}{Where(sobject, from)} ORDER BY SystemModstamp ASC, Id ASC";
            var reference = "o" + cursors.Count.ToString(CultureInfo.InvariantCulture) + "_" + sobject.Name;
            cursors[reference] = new Cursor(sobject, state, state.Watermark, soql);
            pending.Add(new CompositeQuery { ReferenceId = reference, Soql = soql, IncludeDeleted = true, BatchSize = Options.QueryBatchSize });
        }

        return (cursors, pending);
    }

    /// <summary>Asks for the pending pages, Composite-batched, and returns the next pages to ask for.</summary>
    private async Task<List<CompositeQuery>> ReadRoundAsync(Dictionary<string, Cursor> cursors, List<CompositeQuery> pending, SyncProgress? progress, CancellationToken cancellationToken)
    {
        var next = new List<CompositeQuery>();
        foreach (var chunk in pending.Chunk(SalesforceClient.CompositeMaxQueries))
        {
            var answers = await client.QueryCompositeAsync<SObjectRecord>(chunk, cancellationToken);
            foreach (var answer in answers)
            {
                if (await ApplyAnswerAsync(cursors[answer.ReferenceId], answer, progress, cancellationToken) is { } url)
                {
                    next.Add(new CompositeQuery { ReferenceId = answer.ReferenceId, NextRecordsUrl = url, BatchSize = Options.QueryBatchSize });
                }
            }
        }

        return next;
    }

    /// <summary>
    /// Applies one object's answer: a refusal fails the object, a large change set goes to Bulk, a page is written.
    /// Returns the URL of the object's next page, or null when there is none to ask for.
    /// </summary>
    private async Task<string?> ApplyAnswerAsync(Cursor cursor, CompositeQueryResult<SObjectRecord> answer, SyncProgress? progress, CancellationToken cancellationToken)
    {
        if (answer.Error is { } error)
        {
            await FailCursorAsync(cursor, error.Message, cancellationToken);
            return null;
        }

        var page = answer.Page!;
        if (cursor.Pages == 0 && page.TotalSize >= Options.BulkThreshold)
        {
            // A large change set: one Bulk query costs fewer calls than its REST pages.
            await BulkChangeSetAsync(cursor, page.TotalSize, progress, cancellationToken);
            return null;
        }

        await ApplyPageAsync(cursor, page.Records, cancellationToken);
        cursor.Pages++;
        progress?.Invoke(cursor.Object.Name, cursor.Upserted + cursor.Deleted, page.TotalSize);
        return !page.Done && page.NextRecordsUrl is { } url ? url : null;
    }

    /// <summary>Reads an object's change set by a Bulk API 2.0 <c>queryAll</c>, its calls counted as the object's own.</summary>
    private async Task BulkChangeSetAsync(Cursor cursor, int total, SyncProgress? progress, CancellationToken cancellationToken)
    {
        LogIncrementalBulk(cursor.Object.Name, total);
        using var bulkRun = client.Quota.BeginRun("sync:" + cursor.Object.Name);
        try
        {
            await IncrementalBulkAsync(cursor, total, progress, cancellationToken);
        }
        catch (SalesforceException ex) when (ex is not SalesforceBudgetExhaustedException)
        {
            await FailCursorAsync(cursor, ex.Message, cancellationToken);
        }
        finally
        {
            cursor.OwnCalls += bulkRun.Calls.ApiCalls;
        }
    }

    /// <summary>Fails one object of the pass, with Salesforce's error in its sync state; the others go on.</summary>
    private async Task FailCursorAsync(Cursor cursor, string message, CancellationToken cancellationToken)
    {
        cursor.Error = message;
        LogObjectFailed(cursor.Object.Name, message);
        await states.SaveAsync(cursor.State with { LastError = message }, cancellationToken);
    }

    /// <summary>Each object's result; the objects that finished their read record the successful pass in their state.</summary>
    private async Task<List<ObjectSyncResult>> FinishCursorsAsync(Dictionary<string, Cursor> cursors, HashSet<string> unfinished, long started, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new List<ObjectSyncResult>(cursors.Count);
        foreach (var (reference, cursor) in cursors)
        {
            var duration = Stopwatch.GetElapsedTime(started);
            if (cursor.Error is not null)
            {
                results.Add(new ObjectSyncResult(cursor.Object.Name, SyncModes.Failed, cursor.Upserted, cursor.Deleted, cursor.OwnCalls, duration) { Error = cursor.Error });
                continue;
            }

            if (!unfinished.Contains(reference))
            {
                var total = await mirror.CountAsync(cursor.Object.Name, cancellationToken);
                var fields = cursor.State.Fields ?? cursor.Object.Fields;
                await states.SaveAsync(cursor.State with { LastSuccessAt = now, LastIncrementalStartedAt = now, Records = total, LastError = null, Fields = fields, Mode = SyncModes.Incremental }, cancellationToken);
            }

            results.Add(new ObjectSyncResult(cursor.Object.Name, SyncModes.Incremental, cursor.Upserted, cursor.Deleted, cursor.OwnCalls, duration));
        }

        return results;
    }

    /// <summary>
    /// Writes one page of an incremental read: deletions leave the mirror; a record newer than the watermark is a change;
    /// one inside the overlap window is written only when it differs from the mirror (so an idle pass changes nothing).
    /// The watermark moves to the page's last record once the page is written.
    /// </summary>
    private async Task ApplyPageAsync(Cursor cursor, List<SObjectRecord> records, CancellationToken cancellationToken)
    {
        var name = cursor.Object.Name;
        var writes = new List<MirrorRecord>(records.Count);
        var watermark = cursor.State.Watermark;
        foreach (var record in records)
        {
            var mirrored = ToMirror(name, record);
            var modstamp = record.GetDateTimeOffset("SystemModstamp");
            if (record.GetBoolean("IsDeleted") == true)
            {
                if (await mirror.DeleteAsync(name, mirrored.Id, cancellationToken))
                {
                    cursor.Deleted++;
                }
            }
            else if (modstamp is null || cursor.From is null || modstamp > cursor.From
                || await mirror.GetAsync(name, mirrored.Id, cancellationToken) is not { } known
                || mirrored.Fields.Any(f => !FieldValues.AreEqual(known[f.Key], f.Value)))
            {
                writes.Add(mirrored);
            }

            if (modstamp is { } m && (watermark is null || m > watermark))
            {
                watermark = m;
            }
        }

        await mirror.PutReadAsync(name, writes, cursor.OpenedAt, cancellationToken);
        cursor.Upserted += writes.Count;
        cursor.State = cursor.State with { Watermark = watermark };
        await states.SaveAsync(cursor.State, cancellationToken);
    }

    private async Task IncrementalBulkAsync(Cursor cursor, long total, SyncProgress? progress, CancellationToken cancellationToken)
    {
        var batch = new List<SObjectRecord>(WriteBatch);
        await foreach (var record in client.BulkQueryAsync(cursor.Soql, new BulkQueryOptions { MaxRecordsPerPage = Options.BulkPageSize, IncludeDeleted = true }, cancellationToken))
        {
            batch.Add(record);
            if (batch.Count == WriteBatch)
            {
                await ApplyPageAsync(cursor, batch, cancellationToken);
                batch.Clear();
                progress?.Invoke(cursor.Object.Name, cursor.Upserted + cursor.Deleted, total);
            }
        }

        await ApplyPageAsync(cursor, batch, cancellationToken);
        progress?.Invoke(cursor.Object.Name, cursor.Upserted + cursor.Deleted, total);
    }

    private sealed class Cursor(SyncObjectOptions sobject, SyncState state, DateTimeOffset? from, string soql)
    {
        public SyncObjectOptions Object { get; } = sobject;

        public SyncState State { get; set; } = state;

        /// <summary>When the object's query was opened (<see cref="Stopwatch"/> timestamp): its pages may predate anything written back after it.</summary>
        public long OpenedAt { get; } = Stopwatch.GetTimestamp();

        /// <summary>The watermark before this pass: records up to it may already be in the mirror.</summary>
        public DateTimeOffset? From { get; } = from;

        public string Soql { get; } = soql;

        public int Pages { get; set; }

        public long Upserted { get; set; }

        public long Deleted { get; set; }

        public long OwnCalls { get; set; }

        public string? Error { get; set; }
    }

    /// <summary>Syncs one object: initial, incremental or full, whichever its state calls for.</summary>
    public async Task<ObjectSyncResult> SyncObjectAsync(string sobjectName, SyncProgress? progress = null, CancellationToken cancellationToken = default)
    {
        using var pass = await mirror.BeginPassAsync(cancellationToken);
        return await SyncObjectCoreAsync(sobjectName, progress, null, cancellationToken);
    }

    private async Task<ObjectSyncResult> SyncObjectCoreAsync(string sobjectName, SyncProgress? progress, PreparedLoad? prepared, CancellationToken cancellationToken)
    {
        var sobject = catalog.Find(sobjectName) ?? throw new ArgumentException($"'{sobjectName}' is not a synced object.", nameof(sobjectName));
        var started = Stopwatch.GetTimestamp();
        using var run = client.Quota.BeginRun("sync:" + sobject.Name);
        var state = await states.GetAsync(sobject.Name, cancellationToken) ?? new SyncState { Object = sobject.Name };
        var now = time.GetUtcNow();
        Counts counts;
        string mode;
        try
        {
            if (await schemas.GetAsync(sobject.Name, cancellationToken) is null)
            {
                // Field types for computations: read once (one call) and kept in the store; read again when fields are added.
                await schemas.SaveAsync(await client.DescribeAsync(sobject.Name, cancellationToken), cancellationToken);
            }

            if (!state.InitialComplete)
            {
                (mode, counts) = await InitialAsync(sobject, state, progress, fullReconcile: false, prepared, cancellationToken);
            }
            else if (state.LastSuccessAt is { } last && now - last > TimeSpan.FromDays(Options.DeleteWindowDays))
            {
                LogFullResync(sobject.Name, last);
                (mode, counts) = await InitialAsync(sobject, state with { Watermark = null, Mode = null }, progress, fullReconcile: true, prepared, cancellationToken);
            }
            else if (state.Fields is { } had && sobject.Fields.Except(had, StringComparer.OrdinalIgnoreCase).ToList() is { Count: > 0 } added)
            {
                // Records the mirror already holds lack the new fields, and only changed ones would bring them.
                LogFieldsAdded(sobject.Name, string.Join(", ", added));
                await schemas.SaveAsync(await client.DescribeAsync(sobject.Name, cancellationToken), cancellationToken);
                (mode, counts) = await InitialAsync(sobject, state with { Watermark = null, Mode = null }, progress, fullReconcile: true, prepared, cancellationToken);
            }
            else
            {
                mode = SyncModes.Incremental;
                counts = await IncrementalAsync(sobject, state, progress, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not SalesforceBudgetExhaustedException)
        {
            var current = await states.GetAsync(sobject.Name, cancellationToken) ?? state;
            await states.SaveAsync(current with { LastError = ex.Message }, cancellationToken);
            throw;
        }

        var after = await states.GetAsync(sobject.Name, cancellationToken) ?? state;
        var total = await mirror.CountAsync(sobject.Name, cancellationToken);
        // Fields are recorded once a read with them completed (states from before this was recorded start here).
        var fields = mode == SyncModes.Incremental && after.Fields is not null ? after.Fields : sobject.Fields;
        await states.SaveAsync(after with { LastSuccessAt = now, LastIncrementalStartedAt = mode == SyncModes.Incremental ? now : null, Records = total, LastError = null, Fields = fields }, cancellationToken);
        return new ObjectSyncResult(sobject.Name, mode, counts.Upserted, counts.Deleted, run.Calls.ApiCalls + (prepared?.Calls ?? 0), Stopwatch.GetElapsedTime(started));
    }

    private async Task<(string Mode, Counts Counts)> InitialAsync(SyncObjectOptions sobject, SyncState state, SyncProgress? progress, bool fullReconcile, PreparedLoad? prepared, CancellationToken cancellationToken)
    {
        // A REST initial load that crashed resumes from its last page; anything else starts over (idempotent by Id).
        if (!fullReconcile && state.Mode == SyncModes.Rest && state.Watermark is { } resumeFrom)
        {
            LogResume(sobject.Name, resumeFrom);
            var resumed = await RestPagesAsync(sobject, state, Where(sobject, resumeFrom), null, progress, null, includeDeleted: false, cancellationToken);
            await states.SaveAsync((await states.GetAsync(sobject.Name, cancellationToken))! with { InitialComplete = true }, cancellationToken);
            return (SyncModes.Rest, resumed);
        }

        var total = prepared?.Total ?? await client.CountAsync(CountSoql(sobject), cancellationToken: cancellationToken);
        HashSet<string>? seen = fullReconcile ? new HashSet<string>(StringComparer.Ordinal) : null;
        Counts counts;
        string mode;
        if (total >= Options.BulkThreshold)
        {
            mode = SyncModes.Bulk;
            await states.SaveAsync(state with { Mode = mode, Watermark = null }, cancellationToken);
            counts = await BulkAsync(sobject, total, progress, seen, prepared, cancellationToken);
        }
        else
        {
            mode = SyncModes.Rest;
            var restState = state with { Mode = mode, Watermark = null };
            await states.SaveAsync(restState, cancellationToken);
            counts = await RestPagesAsync(sobject, restState, Where(sobject, null), total, progress, seen, includeDeleted: false, cancellationToken);
        }

        if (seen is not null)
        {
            counts = counts with { Deleted = counts.Deleted + await RemoveUnseenAsync(sobject.Name, seen, cancellationToken) };
        }

        var saved = await states.GetAsync(sobject.Name, cancellationToken) ?? state;
        await states.SaveAsync(saved with { InitialComplete = true, Mode = fullReconcile ? SyncModes.Full : mode, LastFullSyncAt = time.GetUtcNow() }, cancellationToken);
        return (fullReconcile ? SyncModes.Full : mode, counts);
    }

    /// <summary>
    /// Streams a Bulk query into the mirror in transactions of <see cref="BulkWriteBatch"/> records. While one batch is
    /// written, the next is parsed and encoded: the store's commit (an fsync with SQLite, a round trip with Redis) overlaps the
    /// reading instead of adding to it. At most two batches are held at once, whatever the object's size.
    /// </summary>
    private async Task<Counts> BulkAsync(SyncObjectOptions sobject, long total, SyncProgress? progress, HashSet<string>? seen, PreparedLoad? prepared, CancellationToken cancellationToken)
    {
        var bulkOptions = new BulkQueryOptions { MaxRecordsPerPage = Options.BulkPageSize };
        var readAt = prepared?.Job is null ? Stopwatch.GetTimestamp() : prepared.ReadAt;
        var job = prepared?.Job ?? await client.StartBulkQueryAsync(BulkSoql(sobject), bulkOptions, cancellationToken);
        var batch = new List<MirrorRecord>(BulkWriteBatch);
        var writing = Task.CompletedTask;
        DateTimeOffset? maxModstamp = null;
        long done = 0;
        try
        {
            await foreach (var record in client.ReadBulkQueryAsync(job, bulkOptions, cancellationToken))
            {
                var mirrored = ToMirror(sobject.Name, record);
                seen?.Add(mirrored.Id);
                if (record.GetDateTimeOffset("SystemModstamp") is { } modstamp && (maxModstamp is null || modstamp > maxModstamp))
                {
                    maxModstamp = modstamp;
                }

                batch.Add(mirrored);
                if (batch.Count == BulkWriteBatch)
                {
                    // Encoded here, while the previous batch is written: the writer thread only writes.
                    var encoded = await mirror.PrepareReadAsync(sobject.Name, batch, readAt, cancellationToken);
                    await writing;
                    progress?.Invoke(sobject.Name, done, total);
                    writing = WriteInBackground(encoded, cancellationToken);
                    done += batch.Count;
                    batch = new List<MirrorRecord>(BulkWriteBatch);
                }
            }
        }
        finally
        {
            // A failed read still waits for the batch being written, so nothing writes after the sync returns.
            await writing;
        }

        await mirror.PutReadAsync(sobject.Name, batch, readAt, cancellationToken);

        done += batch.Count;
        progress?.Invoke(sobject.Name, done, total);
        // The job read a snapshot: anything changed afterwards has a later SystemModstamp than any record in it.
        var state = await states.GetAsync(sobject.Name, cancellationToken) ?? new SyncState { Object = sobject.Name };
        await states.SaveAsync(state with { Watermark = maxModstamp ?? state.Watermark }, cancellationToken);
        return new Counts(done, 0);
    }

    /// <summary>Writes a batch on the thread pool (the SQLite adapter commits synchronously on the caller's thread).</summary>
    private Task WriteInBackground(Mirror.PreparedPut prepared, CancellationToken cancellationToken) =>
        Task.Run(() => mirror.PutPreparedAsync(prepared, cancellationToken), cancellationToken);

    private async Task<Counts> IncrementalAsync(SyncObjectOptions sobject, SyncState state, SyncProgress? progress, CancellationToken cancellationToken)
    {
        var from = IncrementalFrom(state);
        return await RestPagesAsync(sobject, state, Where(sobject, from), null, progress, null, includeDeleted: true, cancellationToken);
    }

    /// <summary>
    /// Where an incremental read starts. A record committed late (its <c>SystemModstamp</c> set up to
    /// <see cref="SyncOptions.OverlapSeconds"/> before it became visible) may hide just behind the watermark, so the read
    /// starts the overlap before it; but everything stamped more than the overlap before the previous read started was
    /// already visible to that read. So an idle object re-reads only its records stamped at the watermark, not the whole
    /// tail of its last burst of changes.
    /// </summary>
    private DateTimeOffset? IncrementalFrom(SyncState state)
    {
        if (state.Watermark is not { } watermark)
        {
            return null;
        }

        var overlap = TimeSpan.FromSeconds(Options.OverlapSeconds);
        var from = watermark - overlap;
        if (state.LastIncrementalStartedAt is not { } previous)
        {
            return from;
        }

        // Everything stamped up to here was visible to the previous read, which read it: the watermark is the latest
        // stamp read, so nothing lies between the watermark and this point.
        var seen = previous - overlap;
        var nextSecond = new DateTimeOffset(watermark.UtcTicks - (watermark.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        if (seen >= nextSecond)
        {
            // SOQL literals have whole seconds: start at the second after the watermark's.
            return nextSecond;
        }

        return seen > from ? (seen < watermark ? seen : watermark) : from;
    }

    /// <summary>Reads pages ordered by SystemModstamp, writes each to the mirror and then moves the watermark to its last record.</summary>
    private async Task<Counts> RestPagesAsync(
        SyncObjectOptions sobject, SyncState state, string where, long? total, SyncProgress? progress, HashSet<string>? seen, bool includeDeleted, CancellationToken cancellationToken)
    {
        var soql = $"SELECT {string.Join(", ", sobject.Fields)} FROM {sobject.Name}{where} ORDER BY SystemModstamp ASC, Id ASC";
        var options = new QueryOptions { BatchSize = Options.QueryBatchSize, IncludeDeleted = includeDeleted };
        long upserted = 0, deleted = 0;
        var watermark = state.Watermark;
        var readAt = Stopwatch.GetTimestamp();
        await foreach (var page in client.QueryPagesAsync<SObjectRecord>(soql, options, cancellationToken))
        {
            var writes = new List<MirrorRecord>(page.Records.Count);
            foreach (var record in page.Records)
            {
                var mirrored = ToMirror(sobject.Name, record);
                if (record.GetBoolean("IsDeleted") == true)
                {
                    if (await mirror.DeleteAsync(sobject.Name, mirrored.Id, cancellationToken))
                    {
                        deleted++;
                    }
                }
                else
                {
                    seen?.Add(mirrored.Id);
                    writes.Add(mirrored);
                }

                if (record.GetDateTimeOffset("SystemModstamp") is { } modstamp && (watermark is null || modstamp > watermark))
                {
                    watermark = modstamp;
                }
            }

            await mirror.PutReadAsync(sobject.Name, writes, readAt, cancellationToken);
            upserted += writes.Count;
            state = state with { Watermark = watermark };
            await states.SaveAsync(state, cancellationToken);
            progress?.Invoke(sobject.Name, upserted + deleted, total ?? page.TotalSize);
        }

        return new Counts(upserted, deleted);
    }

    private async Task<long> RemoveUnseenAsync(string sobject, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        await foreach (var record in mirror.ListAsync(sobject, cancellationToken))
        {
            if (!seen.Contains(record.Id))
            {
                stale.Add(record.Id);
            }
        }

        foreach (var id in stale)
        {
            await mirror.DeleteAsync(sobject, id, cancellationToken);
        }

        return stale.Count;
    }

    private static MirrorRecord ToMirror(string type, SObjectRecord record)
    {
        var fields = new Dictionary<string, string?>(record.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in record.Fields)
        {
            if (value is not IReadOnlyList<SObjectRecord>)
            {
                fields[name] = FieldValues.ToText(value);
            }
        }

        fields.Remove("IsDeleted");
        return new MirrorRecord(type, record.Id ?? throw new InvalidOperationException($"A {type} record came back without an Id."), fields);
    }

    private static string Where(SyncObjectOptions sobject, DateTimeOffset? from)
    {
        var conditions = new List<string>(2);
        if (from is { } f)
        {
            conditions.Add("SystemModstamp >= " + f.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (!string.IsNullOrWhiteSpace(sobject.Where))
        {
            conditions.Add("(" + sobject.Where + ")");
        }

        return conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
    }

    private static string WhereClause(string? where) => string.IsNullOrWhiteSpace(where) ? string.Empty : " WHERE " + where;

    private readonly record struct Counts(long Upserted, long Deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort the unread Bulk query job {JobId}: {Reason}")]
    private partial void LogAbortFailed(string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of {Object} resumes from {Watermark:o} after an interrupted initial load")]
    private partial void LogResume(string @object, DateTimeOffset watermark);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Object} last succeeded at {LastSuccess:o}, beyond the delete window: re-reading it in full")]
    private partial void LogFullResync(string @object, DateTimeOffset lastSuccess);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Object}: fields {Fields} were added to the sync; reading every record again")]
    private partial void LogFieldsAdded(string @object, string fields);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Object} failed; the other objects go on: {Reason}")]
    private partial void LogObjectFailed(string @object, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Object}: {Count} changed records, read with a Bulk API 2.0 query")]
    private partial void LogIncrementalBulk(string @object, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync stopped before {Object}: {Reason}")]
    private partial void LogBudgetStop(string @object, string reason);
}
