using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfCompanion.Emulator;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using StackExchange.Redis;

namespace SfCompanion.Benchmarks;

/// <summary>
/// The initial load of the demo org's shape (N leads and their contacts, campaign members, tasks…, the nine default
/// objects) into a fresh store: SQLite with <c>synchronous=FULL</c>, then Redis (AOF, the server's own fsync policy).
/// The org runs in a separate emulator process without added latency, so this process holds only what the service
/// holds and its working set is the service's. Prints records/s per object and the peak working set.
/// Run with <c>dotnet run -c Release -- initial-load [leads] [sqlite|redis|both]</c>; lines start with <c>LOAD |</c>.
/// Redis address: SFC_BENCH_REDIS (default 127.0.0.1:6379).
/// </summary>
internal static class InitialLoadBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var leads = args.Length > 1 ? int.Parse(args[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : 100_000;
        var adapters = args.Length > 2 ? args[2] : "both";
        Line($"load average {File.ReadAllText("/proc/loadavg").Trim()} (shared machine), {Environment.ProcessorCount} cores");
        var started = Stopwatch.GetTimestamp();
        using var org = SpineSeparateOrg.Start(leads, 0, 0);
        Line($"emulator process with {leads:N0} leads listening after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");

        if (adapters is "both" or "sqlite")
        {
            var directory = Directory.CreateTempSubdirectory("sfc-bench-load-").FullName;
            try
            {
                var path = Path.Combine(directory, "store.db");
                using var store = SqliteStore.Open(new SqliteStorageOptions { Path = path, Synchronous = "Full" }, TimeProvider.System);
                await LoadAsync("SQLite (synchronous=FULL)", store, org);
                Line($"SQLite file {SpineReport.Mib(Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length))} (with its WAL)");
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        if (adapters is "both" or "redis")
        {
            var address = Environment.GetEnvironmentVariable("SFC_BENCH_REDIS") ?? "127.0.0.1:6379";
            using var redis = await ConnectionMultiplexer.ConnectAsync(address + ",allowAdmin=true");
            var server = redis.GetServers()[0];
            var aof = server.ConfigGet("appendonly").FirstOrDefault().Value;
            var fsync = server.ConfigGet("appendfsync").FirstOrDefault().Value;
            try
            {
                using var store = RedisStore.FromConnection(redis, BenchRedis.Prefix);
                await LoadAsync($"Redis (appendonly {aof}, appendfsync {fsync})", store, org);
                Line($"Redis used_memory {server.Info("memory").SelectMany(g => g).First(kv => kv.Key == "used_memory_human").Value}");
            }
            finally
            {
                BenchRedis.DeletePrefix(redis);
            }
        }
    }

    private static async Task LoadAsync(string label, IStore store, SpineSeparateOrg org)
    {
        var baseUrl = org.BaseUrl;
        using var emulator = Process.GetProcessById(org.ProcessId);
        await using var connection = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = baseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = EmulatorOptions.DefaultClientId,
            ClientSecret = EmulatorOptions.DefaultClientSecret,
            ApiVersion = "66.0",
        });
        var settings = Options.Create(new SyncOptions());
        var catalog = new SyncObjectCatalog(settings);
        var mirror = new Mirror(store, catalog);
        var sync = new SyncService(connection.Client, mirror, new SyncStateStore(store), new SchemaStore(store), catalog, settings, TimeProvider.System, NullLogger<SyncService>.Instance);

        var baseline = MemorySampler.Baseline();
        Line($"{label}: baseline working set {SpineReport.Mib(baseline.WorkingSet)}, managed heap {SpineReport.Mib(baseline.ManagedHeap)}");
        using var sampler = MemorySampler.Start();
        using var self = Process.GetCurrentProcess();
        var started = Stopwatch.GetTimestamp();
        var cpuStarted = self.TotalProcessorTime;
        var emulatorCpuStarted = emulator.TotalProcessorTime;
        long records = 0, calls = 0;
        // One pass, as the service's first sync: objects loaded one after the other, the Bulk jobs created ahead.
        var pass = await sync.SyncAllAsync(cancellationToken: CancellationToken.None);
        foreach (var o in pass.Objects)
        {
            records += o.Upserted;
            calls += o.ApiCalls;
            var rate = o.Duration.TotalSeconds > 0 ? o.Upserted / o.Duration.TotalSeconds : 0;
            Line($"{label}: {o.Object,-20} {o.Upserted,10:N0} records via {o.Mode,-5} {o.ApiCalls,3} calls {o.Duration.TotalSeconds,7:0.00} s {rate,10:N0} records/s");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        var cpuTotal = (self.TotalProcessorTime - cpuStarted).TotalSeconds;
        emulator.Refresh();
        var emulatorCpu = (emulator.TotalProcessorTime - emulatorCpuStarted).TotalSeconds;
        sampler.Dispose();
        Line($"{label}: all objects {records:N0} records, {calls} calls, {elapsed.TotalSeconds:0.0} s, {records / elapsed.TotalSeconds:N0} records/s, CPU of this process {cpuTotal:0.0} s, of the emulator serving the org {emulatorCpu:0.0} s; " +
            $"peak working set {SpineReport.Mib(sampler.PeakWorkingSet)} (baseline {SpineReport.Mib(baseline.WorkingSet)}), peak managed heap {SpineReport.Mib(sampler.PeakManagedHeap)}");
    }

    private static void Line(string text) => Console.WriteLine("LOAD | " + text);
}
