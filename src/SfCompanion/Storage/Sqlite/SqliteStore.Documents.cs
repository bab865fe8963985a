using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>Documents: the <c>documents</c> table, and <c>document_index</c> for the look-up terms.</summary>
public sealed partial class SqliteStore : IDocumentStore
{
    public async Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        var found = await QueryRowsAsync(
            "SELECT data, version, updated_at FROM documents WHERE kind = $kind AND key = $key;",
            [("$kind", kind), ("$key", key)],
            reader => new StoredDocument(kind, key, reader.GetString(0), reader.GetInt64(1), FromMs(reader.GetInt64(2))),
            1,
            cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<long> PutAsync(string kind, DocumentWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return await WriteAsync(tx => PutCore(tx, kind, write), cancellationToken);
    }

    public Task PutManyAsync(string kind, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return writes.Count == 0 ? Task.CompletedTask : WriteAsync(tx =>
        {
            // One prepared statement of each kind for the whole batch: a mirror page of thousands of records is
            // then one parse of each statement, not one per record.
            using var statements = new PutStatements(tx, kind, NowMs());
            var terms = new Dictionary<string, IReadOnlyList<IndexTerm>>(StringComparer.Ordinal);
            foreach (var write in writes)
            {
                PutDocument(statements, write);
                if (write.Index is { Count: > 0 } index)
                {
                    terms[write.Key] = index;
                }
                else
                {
                    // A later write of the same key in the batch replaces the terms of an earlier one.
                    terms.Remove(write.Key);
                }
            }

            // Index terms in bulk, in index order: consecutive inserts land on the same pages, which stay cached,
            // instead of one random page per term (emails of a large load are in no particular order).
            var sorted = new List<(string Name, string Value, string Key)>(terms.Count * 2);
            foreach (var (key, index) in terms)
            {
                foreach (var term in index)
                {
                    sorted.Add((term.Name, term.Value, key));
                }
            }

            sorted.Sort(static (a, b) =>
                string.CompareOrdinal(a.Name, b.Name) is var byName and not 0 ? byName
                : string.CompareOrdinal(a.Value, b.Value) is var byValue and not 0 ? byValue
                : string.CompareOrdinal(a.Key, b.Key));
            foreach (var (name, value, key) in sorted)
            {
                statements.InsertIndexTerm(key, name, value);
            }

            return writes.Count;
        }, cancellationToken);
    }

    private long PutCore(SqliteTransaction tx, string kind, DocumentWrite write)
    {
        using var statements = new PutStatements(tx, kind, NowMs());
        var next = PutDocument(statements, write);
        foreach (var term in write.Index ?? [])
        {
            statements.InsertIndexTerm(write.Key, term.Name, term.Value);
        }

        return next;
    }

    /// <summary>
    /// Writes one document with the batch's prepared statements, after the version check when one is expected, and
    /// removes its previous index terms; the caller inserts the new ones. A new document has no terms to remove: a
    /// bulk load of new records costs one insert per record and one per index term.
    /// </summary>
    private static long PutDocument(PutStatements statements, DocumentWrite write)
    {
        if (write.ExpectedVersion is { } expected && statements.Version(write.Key) is var current && current != expected)
        {
            throw new ConcurrencyConflictException(statements.Kind, write.Key, expected, current);
        }

        var next = statements.Upsert(write.Key, write.Data, DocumentTerms.Format(write.Index), out var previousTerms);
        statements.DeleteIndex(write.Key, previousTerms);
        return next;
    }

    /// <summary>The stored version (0 when absent), after checking it against <paramref name="expected"/> when one is given.</summary>
    private static long CheckVersion(SqliteTransaction tx, string kind, string key, long? expected)
    {
        var current = Scalar(tx, "SELECT version FROM documents WHERE kind = $kind AND key = $key;", ("$kind", kind), ("$key", key)) is long v ? v : 0;
        return expected is { } e && e != current ? throw new ConcurrencyConflictException(kind, key, e, current) : current;
    }

    public async Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        await WriteAsync(tx => DeleteCore(tx, kind, key, expectedVersion), cancellationToken);

    public Task DeleteManyAsync(string kind, IReadOnlyList<DocumentDelete> deletes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deletes);
        return deletes.Count == 0 ? Task.CompletedTask : WriteAsync(tx =>
        {
            foreach (var delete in deletes)
            {
                DeleteCore(tx, kind, delete.Key, delete.ExpectedVersion);
            }

            return deletes.Count;
        }, cancellationToken);
    }

    private bool DeleteCore(SqliteTransaction tx, string kind, string key, long? expectedVersion)
    {
        var current = CheckVersion(tx, kind, key, expectedVersion);
        if (current > 0)
        {
            var terms = Scalar(tx, "DELETE FROM documents WHERE kind = $kind AND key = $key RETURNING terms;", ("$kind", kind), ("$key", key)) as string;
            using var statements = new PutStatements(tx, kind, NowMs());
            statements.DeleteIndex(key, terms);
        }

        return current > 0;
    }

    public async Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Key order is binary (ordinal); the prefix range uses the same collation so an index seek serves it.
        // Key order is binary (ordinal). The first page starts at the prefix itself (inclusive), later pages after the last key.
        var lowerBound = afterKey is null ? "key >= $after" : "key > $after";
        var items = await QueryDocumentsAsync(kind, $"""
            SELECT key, data, version, updated_at FROM documents
            WHERE kind = $kind AND {lowerBound} AND ($upper IS NULL OR key < $upper)
            ORDER BY key LIMIT $limit;
            """,
            [
                ("$kind", kind),
                ("$after", afterKey ?? keyPrefix ?? string.Empty),
                // Every key starting with the prefix sorts below prefix + U+10FFFF in UTF-8 binary order.
                ("$upper", keyPrefix is null ? DBNull.Value : keyPrefix + "\U0010FFFF"),
                ("$limit", limit + 1),
            ],
            Math.Min(limit, 1024),
            cancellationToken);
        if (items.Count > limit)
        {
            items.RemoveRange(limit, items.Count - limit);
            return new DocumentPage(items, items[^1].Key);
        }

        return new DocumentPage(items, null);
    }

    public async Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default) =>
        await QueryDocumentsAsync(kind, """
            SELECT d.key, d.data, d.version, d.updated_at FROM document_index i
            JOIN documents d ON d.kind = i.kind AND d.key = i.key
            WHERE i.kind = $kind AND i.name = $name AND i.value = $value
            ORDER BY i.key LIMIT $limit;
            """,
            [("$kind", kind), ("$name", term.Name), ("$value", term.Value), ("$limit", limit)],
            0,
            cancellationToken);

    public async Task<long> CountAsync(string kind, CancellationToken cancellationToken = default) =>
        (long)(await QueryScalarAsync("SELECT COUNT(*) FROM documents WHERE kind = $kind;", [("$kind", kind)], cancellationToken))!;

    /// <summary>Documents of <paramref name="kind"/> from a query selecting key, data, version and updated_at, in that order.</summary>
    private Task<List<StoredDocument>> QueryDocumentsAsync(string kind, string sql, (string Name, object Value)[] parameters, int capacity, CancellationToken cancellationToken) =>
        QueryRowsAsync(sql, parameters, reader => new StoredDocument(kind, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), FromMs(reader.GetInt64(3))), capacity, cancellationToken);
}
