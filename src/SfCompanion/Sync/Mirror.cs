using System.Collections.Concurrent;
using System.Diagnostics;
using SfCompanion.Storage;

namespace SfCompanion.Sync;

/// <summary>
/// The local copy of the org's records, one document per record (kind <c>mirror:{Type}</c>, key = Id),
/// with secondary look-ups on the fields each object declares as indexed (emails lower-cased). Records are stored in
/// the compact form of <see cref="MirrorEncoding"/> (values without their field names).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The write gate's SemaphoreSlim never allocates its wait handle (only WaitAsync/Release are used), so there is nothing to dispose.")]
public sealed class Mirror(IDocumentStore store, SyncObjectCatalog catalog)
{
    private readonly MirrorEncoding _encoding = new(store);
    private readonly Lock _passGate = new();
    private volatile IMirrorListener[] _listeners = [];
    private Task _lastPass = Task.CompletedTask;

    /// <summary>
    /// Values the writeback had accepted by Salesforce while a sync pass held the mirror, with when (a
    /// <see cref="Stopwatch"/> timestamp taken after the answer). A pass that sent its read before that time may hold
    /// the record as it was before the write: its copy must not put the older values back (see <see cref="PutReadAsync"/>).
    /// Emptied as each pass ends: the next pass reads after that.
    /// </summary>
    private readonly ConcurrentDictionary<string, WrittenBack> _writtenBack = new(StringComparer.Ordinal);
    private int _passesHeld;

    /// <summary>
    /// Serialises a sync pass's writes (checked against <see cref="_writtenBack"/>) with the writeback's (recorded in
    /// it), so that no accepted value slips in between a pass's check and its write.
    /// </summary>
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Adds a listener told of every change from now on.</summary>
    public void Subscribe(IMirrorListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (this)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    public static string Kind(string type) => "mirror:" + type;

    /// <summary>
    /// Waits for the sync pass in progress, then holds the mirror until the returned pass is disposed. A pass applies
    /// what it read when it sent its queries (a Bulk load takes minutes on a large org); the writeback runs meanwhile,
    /// and the values it gets accepted during the pass are kept over the pass's older copies (<see cref="PutReadAsync"/>).
    /// The scheduled jobs run on one worker, so this holds across the process.
    /// </summary>
    public async Task<MirrorPass> BeginPassAsync(CancellationToken cancellationToken = default)
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_passGate)
        {
            previous = _lastPass;
            _lastPass = ended.Task;
        }

        try
        {
            await previous.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The pass queued behind this one still waits for the one before.
            _ = previous.ContinueWith(_ => ended.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        Interlocked.Increment(ref _passesHeld);
        return new MirrorPass(() =>
        {
            Interlocked.Decrement(ref _passesHeld);
            var endedAt = Stopwatch.GetTimestamp();
            foreach (var (key, written) in _writtenBack)
            {
                if (written.At < endedAt)
                {
                    _writtenBack.TryRemove(new KeyValuePair<string, WrittenBack>(key, written));
                }
            }
        }, ended);
    }

    /// <summary>How many records hold values written back during the sync pass in progress (for tests and health).</summary>
    public int WrittenBackDuringPass => _writtenBack.Count;

    public async Task<MirrorRecord?> GetAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        var doc = await store.GetAsync(Kind(type), id, cancellationToken);
        return doc is null ? null : await ToRecordAsync(type, doc, cancellationToken);
    }

    /// <summary>Writes records (replacing their stored fields with the ones given, merged over what is stored when <paramref name="merge"/>).</summary>
    public Task PutAsync(string type, IReadOnlyList<MirrorRecord> records, bool merge = false, CancellationToken cancellationToken = default) =>
        PutCoreAsync(type, records, merge, cancellationToken);

    /// <summary>
    /// Writes records a sync pass read from Salesforce, the read sent at <paramref name="readAt"/> (a <see cref="Stopwatch"/>
    /// timestamp; for a query cursor or a Bulk job, when it was opened). Fields the writeback had accepted by Salesforce
    /// after that keep the written values: the read may predate them, and putting the older values back would make the
    /// next writeback send the same values again. A read sent after the write is taken as it is (it saw the write, or a
    /// later edit by someone else).
    /// </summary>
    public async Task PutReadAsync(string type, IReadOnlyList<MirrorRecord> records, long readAt, CancellationToken cancellationToken = default) =>
        await PutPreparedAsync(await PrepareReadAsync(type, records, readAt, cancellationToken), cancellationToken);

    /// <summary>
    /// The CPU half of <see cref="PutReadAsync"/>: encodes the records (and stores any new layout) so that a large load
    /// can prepare a batch while the previous one is being written; <see cref="PutPreparedAsync"/> writes it.
    /// </summary>
    public async Task<PreparedPut> PrepareReadAsync(string type, IReadOnlyList<MirrorRecord> records, long readAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var kept = _writtenBack.IsEmpty ? records : [.. records.Select(r => KeepWrittenBack(type, r, readAt))];
        using var encoder = _encoding.Begin(type);
        var writes = new List<DocumentWrite>(kept.Count);
        foreach (var record in kept)
        {
            writes.Add(new DocumentWrite(record.Id, encoder.Encode(record.Fields), Index: IndexTerms(type, record.Fields)));
        }

        await _encoding.SaveLayoutsAsync(encoder, cancellationToken);
        return new PreparedPut(type, [.. kept], writes, readAt);
    }

    /// <summary>
    /// Writes a batch from <see cref="PrepareReadAsync"/>. A record whose values the writeback got accepted after the
    /// read, since the batch was prepared, is encoded again with them first.
    /// </summary>
    public async Task PutPreparedAsync(PreparedPut prepared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Records.Count == 0)
        {
            return;
        }

        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (!_writtenBack.IsEmpty)
            {
                using var encoder = _encoding.Begin(prepared.Type);
                for (var i = 0; i < prepared.Records.Count; i++)
                {
                    var record = prepared.Records[i];
                    var kept = KeepWrittenBack(prepared.Type, record, prepared.ReadAt);
                    if (!ReferenceEquals(kept, record))
                    {
                        prepared.Records[i] = kept;
                        prepared.Writes[i] = new DocumentWrite(kept.Id, encoder.Encode(kept.Fields), Index: IndexTerms(prepared.Type, kept.Fields));
                    }
                }

                await _encoding.SaveLayoutsAsync(encoder, cancellationToken);
            }

            await store.PutManyAsync(Kind(prepared.Type), prepared.Writes, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }

        foreach (var listener in _listeners)
        {
            await listener.OnPutAsync(prepared.Type, prepared.Records, cancellationToken);
        }
    }

    /// <summary>The record with the values accepted from the writeback after <paramref name="readAt"/> kept over what was read (the same instance when there are none).</summary>
    private MirrorRecord KeepWrittenBack(string type, MirrorRecord record, long readAt)
    {
        if (!_writtenBack.TryGetValue(Key(type, record.Id), out var written) || written.At <= readAt)
        {
            return record;
        }

        return record with { Fields = Merge(record.Fields, written.Fields) };
    }

    /// <summary>
    /// Records values Salesforce accepted from the writeback: merged into the mirrored record (created when
    /// <paramref name="created"/>, otherwise only if the mirror holds it) and, while a sync pass holds the mirror,
    /// remembered so that the pass's older copy of the record does not put the previous values back.
    /// </summary>
    public Task PutWrittenBackAsync(string type, string id, IReadOnlyDictionary<string, string?> fields, bool created, CancellationToken cancellationToken = default) =>
        PutWrittenBackManyAsync(type, [(id, fields)], created, cancellationToken);

    /// <summary><see cref="PutWrittenBackAsync"/> for many records of one object, in one store write.</summary>
    public async Task PutWrittenBackManyAsync(string type, IReadOnlyList<(string Id, IReadOnlyDictionary<string, string?> Fields)> records, bool created, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await RecordWrittenBackAsync(type, records, created, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task RecordWrittenBackAsync(string type, IReadOnlyList<(string Id, IReadOnlyDictionary<string, string?> Fields)> records, bool created, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _passesHeld) > 0)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (id, fields) in records)
            {
                _writtenBack.AddOrUpdate(
                    Key(type, id),
                    _ => new WrittenBack(now, new Dictionary<string, string?>(fields, StringComparer.OrdinalIgnoreCase)),
                    (_, before) => new WrittenBack(now, Merge(before.Fields, fields)));
            }
        }

        // One read per record: a record the mirror holds takes the values over its own; a created one is written as sent.
        var writes = new List<MirrorRecord>(records.Count);
        foreach (var (id, fields) in records)
        {
            if (await GetAsync(type, id, cancellationToken) is { } existing)
            {
                writes.Add(new MirrorRecord(type, id, Merge(existing.Fields, fields)));
            }
            else if (created)
            {
                writes.Add(new MirrorRecord(type, id, fields));
            }
        }

        await PutCoreAsync(type, writes, merge: false, cancellationToken);
    }

    private async Task PutCoreAsync(string type, IReadOnlyList<MirrorRecord> records, bool merge, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var writes = new List<DocumentWrite>(records.Count);
        using var encoder = _encoding.Begin(type);
        var stored = _listeners.Length == 0 ? null : new List<MirrorRecord>(records.Count);
        foreach (var record in records)
        {
            var fields = record.Fields;
            if (merge && await GetAsync(type, record.Id, cancellationToken) is { } existing)
            {
                fields = Merge(existing.Fields, record.Fields);
            }

            writes.Add(new DocumentWrite(record.Id, encoder.Encode(fields), Index: IndexTerms(type, fields)));
            stored?.Add(record with { Fields = fields });
        }

        await _encoding.SaveLayoutsAsync(encoder, cancellationToken);
        await store.PutManyAsync(Kind(type), writes, cancellationToken);
        foreach (var listener in _listeners)
        {
            await listener.OnPutAsync(type, stored!, cancellationToken);
        }
    }

    public async Task<bool> DeleteAsync(string type, string id, CancellationToken cancellationToken = default)
    {
        var deleted = await store.DeleteAsync(Kind(type), id, cancellationToken: cancellationToken);
        foreach (var listener in _listeners)
        {
            await listener.OnDeletedAsync(type, id, cancellationToken);
        }

        return deleted;
    }

    public Task<long> CountAsync(string type, CancellationToken cancellationToken = default) => store.CountAsync(Kind(type), cancellationToken);

    /// <summary>Records whose indexed field equals the value (emails compare case-insensitively).</summary>
    public async Task<IReadOnlyList<MirrorRecord>> FindAsync(string type, string field, string value, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var docs = await store.FindAsync(Kind(type), new IndexTerm(field, Normalize(field, value)), limit, cancellationToken);
        var records = new List<MirrorRecord>(docs.Count);
        foreach (var doc in docs)
        {
            records.Add(await ToRecordAsync(type, doc, cancellationToken));
        }

        return records;
    }

    /// <summary>Every record of a type, page by page, in Id order.</summary>
    public async IAsyncEnumerable<MirrorRecord> ListAsync(string type, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var doc in store.ListAllAsync(Kind(type), 1000, cancellationToken))
        {
            yield return await ToRecordAsync(type, doc, cancellationToken);
        }
    }

    private List<IndexTerm>? IndexTerms(string type, IReadOnlyDictionary<string, string?> fields)
    {
        var indexed = catalog.Find(type)?.IndexedFields;
        if (indexed is not { Count: > 0 })
        {
            return null;
        }

        List<IndexTerm>? terms = null;
        foreach (var field in indexed)
        {
            if (fields.TryGetValue(field, out var value) && value is not null)
            {
                (terms ??= []).Add(new IndexTerm(field, Normalize(field, value)));
            }
        }

        return terms;
    }

    private static string Key(string type, string id) => type.ToUpperInvariant() + "/" + id;

    /// <summary><paramref name="fields"/> over <paramref name="before"/>, as a new case-insensitive dictionary.</summary>
    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> fields)
    {
        var merged = new Dictionary<string, string?>(before, StringComparer.OrdinalIgnoreCase);
        foreach (var (field, value) in fields)
        {
            merged[field] = value;
        }

        return merged;
    }

    /// <summary>A batch encoded by <see cref="PrepareReadAsync"/>, for <see cref="PutPreparedAsync"/>.</summary>
    public sealed class PreparedPut
    {
        internal PreparedPut(string type, List<MirrorRecord> records, List<DocumentWrite> writes, long readAt)
        {
            Type = type;
            Records = records;
            Writes = writes;
            ReadAt = readAt;
        }

        internal string Type { get; }

        internal List<MirrorRecord> Records { get; }

        internal List<DocumentWrite> Writes { get; }

        internal long ReadAt { get; }
    }

    private sealed record WrittenBack(long At, Dictionary<string, string?> Fields);

    private static string Normalize(string field, string value) =>
        field.EndsWith("Email", StringComparison.OrdinalIgnoreCase) ? value.Trim().ToLowerInvariant() : value;

    private async ValueTask<MirrorRecord> ToRecordAsync(string type, StoredDocument doc, CancellationToken cancellationToken) =>
        new(type, doc.Key, await _encoding.DecodeAsync(doc.Data, cancellationToken));
}
