using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>
/// The embedded adapter: one SQLite file in WAL mode. Writes go through a single connection guarded by a
/// semaphore (SQLite has one writer anyway, and this avoids busy-retry storms inside one process);
/// reads use pooled connections and see committed data concurrently thanks to WAL.
/// </summary>
/// <remarks>
/// One file per port: <c>SqliteStore.Documents.cs</c>, <c>.Logs.cs</c>, <c>.Leases.cs</c>, <c>.Counters.cs</c>;
/// the statements they run are built and executed through <c>SqliteStore.Commands.cs</c>.
/// </remarks>
public sealed partial class SqliteStore : IStore, IAsyncDisposable, IDisposable
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
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
        CreateFolder(options.Path, System.IO.Path.GetDirectoryName(path)!);
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
            Configure(writer, options);
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

    private static void CreateFolder(string configuredPath, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Storage:Sqlite:Path = '{configuredPath}': cannot create the folder '{directory}' ({ex.Message}). " +
                "Point Storage:Sqlite:Path (env STORAGE__SQLITE__PATH) at a writable location.", ex);
        }
    }

    /// <summary>Busy timeout, WAL journal (refused on file systems that cannot share memory) and the fsync level.</summary>
    private static void Configure(SqliteConnection writer, SqliteStorageOptions options)
    {
        Execute(writer, $"PRAGMA busy_timeout = {options.BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)};");
        var mode = Scalar<string>(writer, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreConfigurationException(
                $"Storage:Sqlite:Path = '{options.Path}': the file system refused WAL mode (got '{mode}'). Use a local disk, not a network share.");
        }

        // The writer's page cache: a bulk load inserts index terms (emails…) in no particular order, and with
        // SQLite's default 2 MB every insert into a large index reads its page back from disk.
        Execute(writer, "PRAGMA cache_size = -65536;");
        Execute(writer, string.Equals(options.Synchronous, "Normal", StringComparison.OrdinalIgnoreCase) ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;");
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
            await QueryScalarAsync("SELECT MAX(version) FROM schema_version;", [], cancellationToken);
            return new StoreHealth(true, true, $"SQLite at {_path}");
        }
        catch (SqliteException ex)
        {
            return new StoreHealth(false, false, $"SQLite at {_path} is not usable: {ex.Message}");
        }
    }

    /// <summary>Runs <paramref name="work"/> in an immediate transaction on the writer connection, one writer at a time.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken, Action? onRollback = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var tx = _writer.BeginTransaction(deferred: false);
            try
            {
                var result = work(tx);
                tx.Commit();
                return result;
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
