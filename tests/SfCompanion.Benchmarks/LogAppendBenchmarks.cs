using BenchmarkDotNet.Attributes;
using SfCompanion.Storage;
using StackExchange.Redis;

namespace SfCompanion.Benchmarks;

internal static class BenchRedis
{
    public static readonly string Prefix = "sfc-bench-" + Guid.NewGuid().ToString("N");

    public static void DeletePrefix(ConnectionMultiplexer? redis)
    {
        if (redis is null)
        {
            return;
        }

        var keys = redis.GetServers()[0].Keys(pattern: Prefix + ":*").ToArray();
        if (keys.Length > 0)
        {
            redis.GetDatabase().KeyDelete(keys);
        }
    }
}

/// <summary>
/// Durable batched appends to the click log, per adapter. One operation = one entry, so the reported mean is the
/// cost of one durable append and 1 s / mean is appends per second.
/// SQLite runs with synchronous=FULL (fsync per commit); Redis with AOF and the appendfsync policy of the case.
/// Redis address: SFC_BENCH_REDIS (default 127.0.0.1:6379).
/// </summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    private const int EntriesPerInvoke = 10_000;
    private IStore _store = null!;
    private ConnectionMultiplexer? _redis;
    private string? _directory;
    private string[][] _batches = [];

    [Params("Sqlite", "Redis-everysec", "Redis-always")]
    public string Adapter { get; set; } = "Sqlite";

    [Params(100, 1000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = """{"link":"lk_7Hq2","recipient":"00Q5g00000AbCdEFGH","at":"2026-03-01T09:00:00Z","ua":"Mozilla/5.0","ip":"203.0.113.0"}""";
        _batches = Enumerable.Range(0, EntriesPerInvoke / BatchSize).Select(_ => Enumerable.Repeat(payload, BatchSize).ToArray()).ToArray();
        if (Adapter == "Sqlite")
        {
            _directory = Directory.CreateTempSubdirectory("sfc-bench-").FullName;
            _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "bench.db"), Synchronous = "Full" });
        }
        else
        {
            var address = Environment.GetEnvironmentVariable("SFC_BENCH_REDIS") ?? "127.0.0.1:6379";
            _redis = ConnectionMultiplexer.Connect($"{address},allowAdmin=true");
            var server = _redis.GetServers()[0];
            server.ConfigSet("appendonly", "yes");
            server.ConfigSet("appendfsync", Adapter == "Redis-always" ? "always" : "everysec");
            _store = RedisStore.FromConnection(_redis, BenchRedis.Prefix);
        }
    }

    [Benchmark(OperationsPerInvoke = EntriesPerInvoke)]
    public async Task AppendBatches()
    {
        foreach (var batch in _batches)
        {
            await _store.AppendAsync("clicks", batch);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_store).Dispose();
        BenchRedis.DeletePrefix(_redis);
        _redis?.Dispose();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>
/// Single appends from many concurrent callers (the redirect path): the group-commit buffer turns them into few
/// durable writes. One operation = one click made durable.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Concurrent = 10_000;
    private IStore _store = null!;
    private GroupCommitLog _log = null!;
    private ConnectionMultiplexer? _redis;
    private string? _directory;

    [Params("Sqlite", "Redis-everysec")]
    public string Adapter { get; set; } = "Sqlite";

    [GlobalSetup]
    public void Setup()
    {
        if (Adapter == "Sqlite")
        {
            _directory = Directory.CreateTempSubdirectory("sfc-bench-").FullName;
            _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "bench.db") });
        }
        else
        {
            _redis = ConnectionMultiplexer.Connect($"{Environment.GetEnvironmentVariable("SFC_BENCH_REDIS") ?? "127.0.0.1:6379"},allowAdmin=true");
            _redis.GetServers()[0].ConfigSet("appendfsync", "everysec");
            _store = RedisStore.FromConnection(_redis, BenchRedis.Prefix);
        }

        _log = new GroupCommitLog(_store);
    }

    [Benchmark(OperationsPerInvoke = Concurrent)]
    public Task ConcurrentSingleAppends()
    {
        var tasks = new Task[Concurrent];
        for (var i = 0; i < Concurrent; i++)
        {
            tasks[i] = _log.AppendAsync("clicks", "{\"link\":\"lk_7Hq2\",\"recipient\":\"00Q5g00000AbCdEFGH\"}");
        }

        return Task.WhenAll(tasks);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log.DisposeAsync();
        ((IDisposable)_store).Dispose();
        BenchRedis.DeletePrefix(_redis);
        _redis?.Dispose();
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
