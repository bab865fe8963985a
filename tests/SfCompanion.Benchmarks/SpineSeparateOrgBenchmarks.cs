using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfCompanion.Emulator;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;

namespace SfCompanion.Benchmarks;

/// <summary>
/// The initial Lead sync again, with the org in a separate emulator process: the memory figures of this process
/// are then the service's own (client, sync, SQLite mirror), which is what "flat while streaming" is about.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class SpineSeparateOrgInitialSyncBenchmarks
{
    private SpineSeparateOrg _org = null!;
    private string _directory = "";
    private SqliteStore _store = null!;
    private SalesforceConnection _connection = null!;
    private SyncService _sync = null!;
    private Mirror _mirror = null!;
    private (long WorkingSet, long ManagedHeap) _baseline;
    private MemorySampler? _sampler;
    private ObjectSyncResult? _result;

    [Params(100_000, 1_000_000)]
    public int Leads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var started = Stopwatch.GetTimestamp();
        _org = SpineSeparateOrg.Start(Leads);
        SpineReport.Line($"separate emulator process listening after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; its working set {SpineReport.Mib(_org.PeakWorkingSet)}");
        _directory = Directory.CreateTempSubdirectory("sfc-bench-spine-").FullName;
        _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") }, TimeProvider.System);
        _connection = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = _org.BaseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = EmulatorOptions.DefaultClientId,
            ClientSecret = EmulatorOptions.DefaultClientSecret,
            ApiVersion = "66.0",
        });
        var settings = Options.Create(SpineRig.LeadsOnly());
        var catalog = new SyncObjectCatalog(settings);
        _mirror = new Mirror(_store, catalog);
        _sync = new SyncService(_connection.Client, _mirror, new SyncStateStore(_store), new SchemaStore(_store), catalog, settings, TimeProvider.System, NullLogger<SyncService>.Instance);
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _baseline = MemorySampler.Baseline();
        SpineReport.Line($"baseline of the syncing process: working set {SpineReport.Mib(_baseline.WorkingSet)}, managed heap {SpineReport.Mib(_baseline.ManagedHeap)}");
        _sampler = MemorySampler.Start();
    }

    [Benchmark]
    public async Task InitialSync() => _result = await _sync.SyncObjectAsync("Lead");

    [IterationCleanup]
    public void IterationCleanup()
    {
        _sampler!.Dispose();
        var r = _result!;
        var mirrored = _mirror.CountAsync("Lead").GetAwaiter().GetResult();
        SpineReport.Line($"initial sync of {SpineReport.N(Leads)} leads from a separate process: mode {r.Mode}, upserted {SpineReport.N(r.Upserted)}, mirror holds {SpineReport.N(mirrored)}, "
            + $"{r.ApiCalls} API calls, {r.Duration.TotalSeconds:F1} s");
        SpineReport.Line($"calls by operation: {SpineReport.Calls(_connection.Client.Calls.Snapshot())}");
        SpineReport.Line($"syncing process peak during sync: working set {SpineReport.Mib(_sampler.PeakWorkingSet)} (+{SpineReport.Mib(_sampler.PeakWorkingSet - _baseline.WorkingSet)} over baseline), "
            + $"managed heap {SpineReport.Mib(_sampler.PeakManagedHeap)} (+{SpineReport.Mib(_sampler.PeakManagedHeap - _baseline.ManagedHeap)})");
        SpineReport.ProcessPeak();
        SpineReport.Line($"emulator process peak working set {SpineReport.Mib(_org.PeakWorkingSet)}; store files (database + WAL) {SpineReport.Mib(Directory.EnumerateFiles(_directory).Sum(f => new FileInfo(f).Length))}");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.DisposeAsync();
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        _org.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
