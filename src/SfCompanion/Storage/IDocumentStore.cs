namespace SfCompanion.Storage;

/// <summary>Documents by kind and key with optimistic concurrency, listing and secondary look-ups.</summary>
public interface IDocumentStore
{
    Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>Writes one document and returns its new version.</summary>
    /// <exception cref="ConcurrencyConflictException">The expected version did not match.</exception>
    Task<long> PutAsync(string kind, DocumentWrite write, CancellationToken cancellationToken = default);

    /// <summary>Writes many documents atomically (all or none). Any version mismatch fails the whole batch.</summary>
    Task PutManyAsync(string kind, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes many documents atomically (all or none); absent ones are skipped. Any version mismatch fails the whole
    /// batch with <see cref="ConcurrencyConflictException"/>.
    /// </summary>
    Task DeleteManyAsync(string kind, IReadOnlyList<DocumentDelete> deletes, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document; returns false if it did not exist.</summary>
    Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Lists documents of a kind in ordinal key order, optionally restricted to keys starting with <paramref name="keyPrefix"/>.</summary>
    Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Documents of a kind carrying the index term (name = value), in key order.</summary>
    Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default);

    Task<long> CountAsync(string kind, CancellationToken cancellationToken = default);
}
