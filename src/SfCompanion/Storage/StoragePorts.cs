namespace SfCompanion.Storage;

/// <summary>A stored document: an opaque JSON payload under (kind, key) with a version for optimistic concurrency.</summary>
public sealed record StoredDocument(string Kind, string Key, string Data, long Version, DateTimeOffset UpdatedAt);

/// <summary>A secondary look-up term (e.g. <c>email</c> = <c>anne@example.fr</c>) attached to a document.</summary>
public readonly record struct IndexTerm(string Name, string Value);

/// <summary>A document to write. <see cref="ExpectedVersion"/>: <c>null</c> writes unconditionally,
/// <c>0</c> requires that the document does not exist yet, any other value must match the stored version.</summary>
public sealed record DocumentWrite(string Key, string Data, long? ExpectedVersion = null, IReadOnlyList<IndexTerm>? Index = null);

/// <summary>One page of a listing; pass <see cref="NextAfterKey"/> back to continue.</summary>
public sealed record DocumentPage(IReadOnlyList<StoredDocument> Items, string? NextAfterKey);

/// <summary>Documents by kind and key with optimistic concurrency, listing and secondary look-ups.</summary>
public interface IDocumentStore
{
    Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>Writes one document and returns its new version.</summary>
    /// <exception cref="ConcurrencyConflictException">The expected version did not match.</exception>
    Task<long> PutAsync(string kind, DocumentWrite write, CancellationToken cancellationToken = default);

    /// <summary>Writes many documents atomically (all or none). Any version mismatch fails the whole batch.</summary>
    Task PutManyAsync(string kind, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document; returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Lists documents of a kind in ordinal key order, optionally restricted to keys starting with <paramref name="keyPrefix"/>.</summary>
    Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Documents of a kind carrying the index term (name = value), in key order.</summary>
    Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default);

    Task<long> CountAsync(string kind, CancellationToken cancellationToken = default);
}

/// <summary>An entry of an append-only log. Sequences start at 1 and increase by one per entry.</summary>
public sealed record LogEntry(long Sequence, DateTimeOffset Timestamp, string Payload);

/// <summary>Append-only logs (clicks, consent events, job runs): durable batched appends, ordered reads, consumer cursors, trimming by age.</summary>
public interface ILogStore
{
    /// <summary>Appends entries in order, durably, in one write. Returns the sequence of the first entry.</summary>
    Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="max"/> entries with a sequence greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The last sequence a named consumer has processed (0 if none).</summary>
    Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default);

    Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Removes entries older than <paramref name="olderThan"/>; returns how many were removed.</summary>
    Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the given entries (an erasure request: a person's entries, found by sequence); sequences not in the log
    /// are ignored. The other entries and the sequence numbering are unchanged. Returns how many were removed.
    /// </summary>
    Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence appended so far (0 for an empty log).</summary>
    Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default);
}

/// <summary>Leases with expiry: one holder at a time across replicas (e.g. one runner of a job).</summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease if it is free, expired, or already held by <paramref name="owner"/> (which renews it).</summary>
    Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease if <paramref name="owner"/> holds it.</summary>
    Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default);

    /// <summary>The current holder, or null when free or expired.</summary>
    Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Named 64-bit counters.</summary>
public interface ICounterStore
{
    Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default);

    Task<long> GetAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>What <c>/health/ready</c> reports about the store.</summary>
public sealed record StoreHealth(bool Reachable, bool Durable, string Description);

/// <summary>One storage adapter: all the ports plus health.</summary>
public interface IStore : IDocumentStore, ILogStore, ILeaseStore, ICounterStore
{
    string ProviderName { get; }

    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}

/// <summary>A conditional write found a different version than expected.</summary>
public sealed class ConcurrencyConflictException(string kind, string key, long? expected, long actual)
    : Exception($"Document {kind}/{key} is at version {actual}, expected {(expected is null ? "any" : expected.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}.")
{
    public string Kind { get; } = kind;

    public string Key { get; } = key;

    public long? ExpectedVersion { get; } = expected;

    /// <summary>The stored version (0 when the document does not exist).</summary>
    public long ActualVersion { get; } = actual;
}

/// <summary>The store cannot be used as configured; the message names the setting and the fix.</summary>
public sealed class StoreConfigurationException(string message, Exception? inner = null) : Exception(message, inner);

public static class DocumentStoreExtensions
{
    /// <summary>Every document of <paramref name="kind"/> in key order, read <paramref name="pageSize"/> at a time.</summary>
    public static async IAsyncEnumerable<StoredDocument> ListAllAsync(
        this IDocumentStore store, string kind, int pageSize = 1000, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? after = null;
        do
        {
            var page = await store.ListAsync(kind, afterKey: after, limit: pageSize, cancellationToken: cancellationToken);
            foreach (var doc in page.Items)
            {
                yield return doc;
            }

            after = page.NextAfterKey;
        }
        while (after is not null);
    }
}

public static class LogStoreExtensions
{
    /// <summary>Every entry of <paramref name="log"/> after <paramref name="afterSequence"/>, in order, read <paramref name="pageSize"/> at a time.</summary>
    public static async IAsyncEnumerable<LogEntry> ReadAllAsync(
        this ILogStore store, string log, long afterSequence = 0, int pageSize = 1000, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (true)
        {
            var page = await store.ReadAsync(log, afterSequence, pageSize, cancellationToken);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            afterSequence = page[^1].Sequence;
        }
    }
}
