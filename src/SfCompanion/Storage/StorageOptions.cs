using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Storage;

/// <summary>Which adapter backs the storage port, and its settings.</summary>
public sealed class StorageOptions : ISectionOptions
{
    public static string SectionName => "Storage";

    /// <summary><c>Sqlite</c> (embedded default, single node) or <c>Redis</c> (shared by several replicas).</summary>
    [AllowedValues("Sqlite", "Redis", "sqlite", "redis", ErrorMessage = "must be 'Sqlite' (embedded, single node) or 'Redis' (shared by several replicas)")]
    public string Provider { get; set; } = "Sqlite";

    public bool UsesRedis => string.Equals(Provider, "Redis", StringComparison.OrdinalIgnoreCase);

    public SqliteStorageOptions Sqlite { get; set; } = new();

    public RedisStorageOptions Redis { get; set; } = new();
}

public sealed class SqliteStorageOptions
{
    /// <summary>Database file; its folder is created when missing.</summary>
    [Required]
    public string Path { get; set; } = "./data/sfcompanion.db";

    /// <summary>How long a write waits for a lock held by another process before failing.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary><c>Full</c> fsyncs every commit (durable across power loss); <c>Normal</c> survives process crashes only.</summary>
    [AllowedValues("Full", "Normal", "full", "normal", ErrorMessage = "must be 'Full' (fsync every commit) or 'Normal' (survives process crashes only)")]
    public string Synchronous { get; set; } = "Full";
}

public sealed class RedisStorageOptions
{
    /// <summary>StackExchange.Redis configuration string, e.g. <c>localhost:6379,password=…</c>.</summary>
    [Secret]
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key, so several deployments (or tests) can share one server.</summary>
    [RegularExpression("^[A-Za-z0-9_.:-]{1,64}$", ErrorMessage = "must be 1-64 characters among letters, digits, '_', '.', ':' and '-'")]
    public string KeyPrefix { get; set; } = "sfc";

    [Range(100, 120_000)]
    public int ConnectTimeoutMilliseconds { get; set; } = 5_000;
}

/// <summary>Rules that span several storage settings.</summary>
internal sealed class StorageOptionsRules : IOptionsRules<StorageOptions>
{
    public IEnumerable<string> Check(StorageOptions options)
    {
        if (options.UsesRedis && string.IsNullOrWhiteSpace(options.Redis.ConnectionString))
        {
            yield return "Storage:Redis:ConnectionString = '(empty)': required when Storage:Provider = Redis, e.g. 'localhost:6379' (env STORAGE__REDIS__CONNECTIONSTRING)";
        }
    }
}
