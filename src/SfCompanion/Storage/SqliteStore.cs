using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>
/// The embedded adapter: one SQLite file in WAL mode. Writes go through a single connection guarded by a
/// semaphore (SQLite has one writer anyway, and this avoids busy-retry storms inside one process);
/// reads use pooled connections and see committed data concurrently thanks to WAL.
/// </summary>
public sealed class SqliteStore : IStore, IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);
    private bool _disposed;

    private SqliteStore(string path, string connectionString, SqliteConnection writer, TimeProvider time)
    {
        _path = path;
        _connectionString = connectionString;
        _writer = writer;
        _time = time;
    }

    public string ProviderName => "Sqlite";

    /// <summary>Opens (creating when needed) the database and applies pending schema migrations.</summary>
    /// <exception cref="StoreConfigurationException">The file or its folder cannot be used; the message says why and how to fix it.</exception>
    public static SqliteStore Open(SqliteStorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = System.IO.Path.GetFullPath(options.Path);
        var directory = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Storage:Sqlite:Path = '{options.Path}': cannot create the folder '{directory}' ({ex.Message}). " +
                "Point Storage:Sqlite:Path (env STORAGE__SQLITE__PATH) at a writable location.", ex);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            Execute(writer, $"PRAGMA busy_timeout = {options.BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};");
            var mode = Scalar<string>(writer, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreConfigurationException(
                    $"Storage:Sqlite:Path = '{options.Path}': the file system refused WAL mode (got '{mode}'). Use a local disk, not a network share.");
            }

            Execute(writer, string.Equals(options.Synchronous, "Normal", StringComparison.OrdinalIgnoreCase) ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;");
            SqliteMigrations.Apply(writer);
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw new StoreConfigurationException(Explain(options.Path, ex), ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        return new SqliteStore(path, connectionString, writer, time ?? TimeProvider.System);
    }

    private static string Explain(string configuredPath, SqliteException ex) => ex.SqliteErrorCode switch
    {
        26 => $"Storage:Sqlite:Path = '{configuredPath}' is not a SQLite database or is corrupt ({ex.Message}). Restore it from a backup or move it aside to start empty.",
        11 => $"Storage:Sqlite:Path = '{configuredPath}' is corrupt ({ex.Message}). Restore it from a backup or move it aside to start empty.",
        5 or 6 => $"Storage:Sqlite:Path = '{configuredPath}' is locked by another process ({ex.Message}). Stop the other SfCompanion instance, or use the Redis store for several instances.",
        8 or 14 or 23 => $"Storage:Sqlite:Path = '{configuredPath}' cannot be opened for writing ({ex.Message}). Check the file and folder permissions or choose another Storage:Sqlite:Path.",
        _ => $"Storage:Sqlite:Path = '{configuredPath}' cannot be used ({ex.Message}).",
    };

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT MAX(version) FROM schema_version;";
            await command.ExecuteScalarAsync(cancellationToken);
            return new StoreHealth(true, true, $"SQLite at {_path}");
        }
        catch (SqliteException ex)
        {
            return new StoreHealth(false, false, $"SQLite at {_path} is not usable: {ex.Message}");
        }
    }

    // ---- documents ----

    public async Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, version, updated_at FROM documents WHERE kind = $kind AND key = $key;";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredDocument(kind, key, reader.GetString(0), reader.GetInt64(1), FromMs(reader.GetInt64(2)))
            : null;
    }

    public async Task<long> PutAsync(string kind, DocumentWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        long version = 0;
        await WriteAsync(tx => version = PutCore(tx, kind, write), cancellationToken);
        return version;
    }

    public Task PutManyAsync(string kind, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return writes.Count == 0 ? Task.CompletedTask : WriteAsync(tx =>
        {
            foreach (var write in writes)
            {
                PutCore(tx, kind, write);
            }
        }, cancellationToken);
    }

    private long PutCore(SqliteTransaction tx, string kind, DocumentWrite write)
    {
        var current = CurrentVersion(tx, kind, write.Key);
        if (write.ExpectedVersion is { } expected && expected != current)
        {
            throw new ConcurrencyConflictException(kind, write.Key, expected, current);
        }

        var next = current + 1;
        using (var command = Command(tx, """
            INSERT INTO documents (kind, key, data, version, updated_at) VALUES ($kind, $key, $data, $version, $now)
            ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, version = excluded.version, updated_at = excluded.updated_at;
            """))
        {
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$key", write.Key);
            command.Parameters.AddWithValue("$data", write.Data);
            command.Parameters.AddWithValue("$version", next);
            command.Parameters.AddWithValue("$now", NowMs());
            command.ExecuteNonQuery();
        }

        if (current > 0 || write.Index is { Count: > 0 })
        {
            using var delete = Command(tx, "DELETE FROM document_index WHERE kind = $kind AND key = $key;");
            delete.Parameters.AddWithValue("$kind", kind);
            delete.Parameters.AddWithValue("$key", write.Key);
            delete.ExecuteNonQuery();
        }

        if (write.Index is { Count: > 0 } terms)
        {
            using var insert = Command(tx, "INSERT OR IGNORE INTO document_index (kind, name, value, key) VALUES ($kind, $name, $value, $key);");
            var pName = insert.Parameters.Add("$name", SqliteType.Text);
            var pValue = insert.Parameters.Add("$value", SqliteType.Text);
            insert.Parameters.AddWithValue("$kind", kind);
            insert.Parameters.AddWithValue("$key", write.Key);
            foreach (var term in terms)
            {
                pName.Value = term.Name;
                pValue.Value = term.Value;
                insert.ExecuteNonQuery();
            }
        }

        return next;
    }

    private static long CurrentVersion(SqliteTransaction tx, string kind, string key)
    {
        using var command = Command(tx, "SELECT version FROM documents WHERE kind = $kind AND key = $key;");
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long v ? v : 0;
    }

    public async Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var deleted = false;
        await WriteAsync(tx =>
        {
            var current = CurrentVersion(tx, kind, key);
            if (expectedVersion is { } expected && expected != current)
            {
                throw new ConcurrencyConflictException(kind, key, expected, current);
            }

            using var command = Command(tx, "DELETE FROM documents WHERE kind = $kind AND key = $key; DELETE FROM document_index WHERE kind = $kind AND key = $key;");
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
            deleted = current > 0;
        }, cancellationToken);
        return deleted;
    }

    public async Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Key order is binary (ordinal); the prefix range uses the same collation so an index seek serves it.
        // Key order is binary (ordinal). The first page starts at the prefix itself (inclusive), later pages after the last key.
        var lowerBound = afterKey is null ? "key >= $after" : "key > $after";
        command.CommandText = $"""
            SELECT key, data, version, updated_at FROM documents
            WHERE kind = $kind AND {lowerBound} AND ($upper IS NULL OR key < $upper)
            ORDER BY key LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$after", afterKey ?? keyPrefix ?? string.Empty);
        // Every key starting with the prefix sorts below prefix + U+10FFFF in UTF-8 binary order.
        command.Parameters.AddWithValue("$upper", keyPrefix is null ? DBNull.Value : keyPrefix + "\U0010FFFF");
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<StoredDocument>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredDocument(kind, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), FromMs(reader.GetInt64(3))));
        }

        if (items.Count > limit)
        {
            items.RemoveRange(limit, items.Count - limit);
            return new DocumentPage(items, items[^1].Key);
        }

        return new DocumentPage(items, null);
    }

    public async Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.key, d.data, d.version, d.updated_at FROM document_index i
            JOIN documents d ON d.kind = i.kind AND d.key = i.key
            WHERE i.kind = $kind AND i.name = $name AND i.value = $value
            ORDER BY i.key LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$name", term.Name);
        command.Parameters.AddWithValue("$value", term.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var items = new List<StoredDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StoredDocument(kind, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), FromMs(reader.GetInt64(3))));
        }

        return items;
    }

    public async Task<long> CountAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM documents WHERE kind = $kind;";
        command.Parameters.AddWithValue("$kind", kind);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    // ---- logs ----

    public async Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentOutOfRangeException.ThrowIfZero(payloads.Count);
        long first = 0;
        await WriteAsync(tx =>
        {
            if (!_lastSequence.TryGetValue(log, out var last))
            {
                using var max = Command(tx, "SELECT COALESCE(MAX(seq), 0) FROM logs WHERE log = $log;");
                max.Parameters.AddWithValue("$log", log);
                last = (long)max.ExecuteScalar()!;
                using var meta = Command(tx, "SELECT last_seq FROM log_heads WHERE log = $log;");
                meta.Parameters.AddWithValue("$log", log);
                if (meta.ExecuteScalar() is long head && head > last)
                {
                    last = head;
                }
            }

            first = last + 1;
            var now = NowMs();
            using var insert = Command(tx, "INSERT INTO logs (log, seq, ts, payload) VALUES ($log, $seq, $ts, $payload);");
            insert.Parameters.AddWithValue("$log", log);
            insert.Parameters.AddWithValue("$ts", now);
            var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var pPayload = insert.Parameters.Add("$payload", SqliteType.Text);
            var seq = last;
            foreach (var payload in payloads)
            {
                pSeq.Value = ++seq;
                pPayload.Value = payload;
                insert.ExecuteNonQuery();
            }

            // The head survives trimming, so sequences never restart after the log is trimmed empty.
            using var upsertHead = Command(tx, "INSERT INTO log_heads (log, last_seq) VALUES ($log, $seq) ON CONFLICT (log) DO UPDATE SET last_seq = excluded.last_seq;");
            upsertHead.Parameters.AddWithValue("$log", log);
            upsertHead.Parameters.AddWithValue("$seq", seq);
            upsertHead.ExecuteNonQuery();
            _lastSequence[log] = seq;
        }, cancellationToken, onRollback: () => _lastSequence.Remove(log));
        return first;
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, ts, payload FROM logs WHERE log = $log AND seq > $after ORDER BY seq LIMIT $max;";
        command.Parameters.AddWithValue("$log", log);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", max);
        var entries = new List<LogEntry>(Math.Min(max, 4096));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new LogEntry(reader.GetInt64(0), FromMs(reader.GetInt64(1)), reader.GetString(2)));
        }

        return entries;
    }

    public async Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT last_seq FROM log_heads WHERE log = $log), 0);";
        command.Parameters.AddWithValue("$log", log);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM log_cursors WHERE log = $log AND consumer = $consumer;";
        command.Parameters.AddWithValue("$log", log);
        command.Parameters.AddWithValue("$consumer", consumer);
        return await command.ExecuteScalarAsync(cancellationToken) is long seq ? seq : 0;
    }

    public Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default) =>
        WriteAsync(tx =>
        {
            using var command = Command(tx, "INSERT INTO log_cursors (log, consumer, seq) VALUES ($log, $consumer, $seq) ON CONFLICT (log, consumer) DO UPDATE SET seq = excluded.seq;");
            command.Parameters.AddWithValue("$log", log);
            command.Parameters.AddWithValue("$consumer", consumer);
            command.Parameters.AddWithValue("$seq", sequence);
            command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        long removed = 0;
        await WriteAsync(tx =>
        {
            using var command = Command(tx, "DELETE FROM logs WHERE log = $log AND ts < $cutoff;");
            command.Parameters.AddWithValue("$log", log);
            command.Parameters.AddWithValue("$cutoff", olderThan.ToUnixTimeMilliseconds());
            removed = command.ExecuteNonQuery();
        }, cancellationToken);
        return removed;
    }

    public async Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return 0;
        }

        long removed = 0;
        await WriteAsync(tx =>
        {
            using var command = Command(tx, "DELETE FROM logs WHERE log = $log AND seq = $seq;");
            command.Parameters.AddWithValue("$log", log);
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            foreach (var sequence in sequences.Distinct())
            {
                seq.Value = sequence;
                removed += command.ExecuteNonQuery();
            }
        }, cancellationToken);
        return removed;
    }

    // ---- leases ----

    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var acquired = false;
        await WriteAsync(tx =>
        {
            var now = NowMs();
            using var command = Command(tx, """
                INSERT INTO leases (name, owner, expires_at) VALUES ($name, $owner, $expires)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at <= $now;
                """);
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$expires", now + (long)duration.TotalMilliseconds);
            command.Parameters.AddWithValue("$now", now);
            acquired = command.ExecuteNonQuery() == 1;
        }, cancellationToken);
        return acquired;
    }

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default)
    {
        var released = false;
        await WriteAsync(tx =>
        {
            using var command = Command(tx, "DELETE FROM leases WHERE name = $name AND owner = $owner;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$owner", owner);
            released = command.ExecuteNonQuery() == 1;
        }, cancellationToken);
        return released;
    }

    public async Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT owner FROM leases WHERE name = $name AND expires_at > $now;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", NowMs());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    // ---- counters ----

    public async Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default)
    {
        long value = 0;
        await WriteAsync(tx =>
        {
            using var command = Command(tx, "INSERT INTO counters (name, value) VALUES ($name, $delta) ON CONFLICT (name) DO UPDATE SET value = value + $delta RETURNING value;");
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$delta", delta);
            value = (long)command.ExecuteScalar()!;
        }, cancellationToken);
        return value;
    }

    public async Task<long> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long v ? v : 0;
    }

    // ---- plumbing ----

    private async Task WriteAsync(Action<SqliteTransaction> work, CancellationToken cancellationToken, Action? onRollback = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var tx = _writer.BeginTransaction(deferred: false);
            try
            {
                work(tx);
                tx.Commit();
            }
            catch
            {
                tx.Rollback();
                onRollback?.Invoke();
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static T? Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is T value ? value : default;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writeLock.Wait();
        _writer.Dispose();
        _writeLock.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
