using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SfCompanion.Sync;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Initial sync of the Lead object (its default fields) from an emulated org with 50–150 ms latency per call,
/// into an empty SQLite mirror. Above the default threshold of 10,000 records this is one Bulk API 2.0 query.
/// The org lives in the same process: the memory figures are taken against a baseline measured after the org
/// was generated. Each run takes minutes and several GiB at 1,000,000 leads, so it runs once.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class SpineInitialSyncBenchmarks
{
    private SpineRig _rig = null!;
    private (long WorkingSet, long ManagedHeap) _baseline;
    private MemorySampler? _sampler;
    private ObjectSyncResult? _result;
    private int _orgCallsBefore;

    [Params(100_000, 1_000_000)]
    public int Leads { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var started = Stopwatch.GetTimestamp();
        _rig = await SpineRig.StartAsync(Leads, SpineRig.LeadsOnly(), new Writeback.WritebackOptions(), CancellationToken.None);
        SpineReport.Line($"org of {SpineReport.N(_rig.Org.Data.Count("Lead"))} leads generated in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _rig.OpenFreshStore();
        _baseline = MemorySampler.Baseline();
        SpineReport.Line($"baseline after org generation: working set {SpineReport.Mib(_baseline.WorkingSet)}, managed heap {SpineReport.Mib(_baseline.ManagedHeap)}");
        _orgCallsBefore = _rig.OrgApiCalls;
        _sampler = MemorySampler.Start();
    }

    [Benchmark]
    public async Task InitialSync() => _result = await _rig.Sync.SyncObjectAsync("Lead");

    [IterationCleanup]
    public void IterationCleanup()
    {
        _sampler!.Dispose();
        var r = _result!;
        var mirrored = _rig.Mirror.CountAsync("Lead").GetAwaiter().GetResult();
        SpineReport.Line($"initial sync of {SpineReport.N(Leads)} leads: mode {r.Mode}, upserted {SpineReport.N(r.Upserted)}, mirror holds {SpineReport.N(mirrored)}, "
            + $"{r.ApiCalls} API calls (org counted {_rig.OrgApiCalls - _orgCallsBefore}), {r.Duration.TotalSeconds:F1} s");
        SpineReport.Line($"calls by operation (client, cumulative): {SpineReport.Calls(_rig.Client.Calls.Snapshot())}");
        SpineReport.Line($"naive REST paging at 2,000 records per call: {SpineReport.N((Leads + 1_999) / 2_000)} calls; one GET per record: {SpineReport.N(Leads)} calls");
        SpineReport.Line($"peak during sync: working set {SpineReport.Mib(_sampler.PeakWorkingSet)} (+{SpineReport.Mib(_sampler.PeakWorkingSet - _baseline.WorkingSet)} over baseline), "
            + $"managed heap {SpineReport.Mib(_sampler.PeakManagedHeap)} (+{SpineReport.Mib(_sampler.PeakManagedHeap - _baseline.ManagedHeap)})");
        SpineReport.ProcessPeak();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _rig.DisposeAsync();
}

/// <summary>
/// Incremental sync after 1% of the leads changed in the org (changed directly in the org, no API call): one
/// <c>queryAll</c> by <c>SystemModstamp</c> from the watermark minus the 5-minute overlap, 2,000 records per page.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class SpineIncrementalSyncBenchmarks
{
    private SpineRig _rig = null!;
    private List<string> _changed = [];
    private ObjectSyncResult? _result;
    private int _orgCallsBefore;
    private int _round;
    private IReadOnlyDictionary<string, long> _callsBefore = new Dictionary<string, long>();

    /// <summary>
    /// Org size and how its records are stamped. <c>history</c>: the generated records carry stamps spread over past
    /// days, as an org's history would. <c>fresh</c>: they all carry the few seconds of generation, so all of them fall
    /// inside the 5-minute overlap window (measured at 100,000 only: at 1,000,000 it is 500 REST pages).
    /// </summary>
    [Params("100000-history", "1000000-history", "100000-fresh")]
    public string Org { get; set; } = "100000-history";

    private int Leads => int.Parse(Org.Split('-')[0], System.Globalization.CultureInfo.InvariantCulture);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _rig = await SpineRig.StartAsync(Leads, SpineRig.LeadsOnly(), new Writeback.WritebackOptions(), CancellationToken.None, historicalStamps: Org.EndsWith("history", StringComparison.Ordinal));
        var initial = await _rig.Sync.SyncObjectAsync("Lead");
        SpineReport.Line($"initial load before the incremental run: {initial.Mode}, {SpineReport.N(initial.Upserted)} records, {initial.ApiCalls} calls, {initial.Duration.TotalSeconds:F1} s");
        _changed = [.. _rig.LeadIds().Where((_, i) => i % 100 == 0)];
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _round++;
        foreach (var id in _changed)
        {
            _rig.Org.Data.Update(id, new Dictionary<string, object?> { ["Title"] = $"Directeur commercial (r{_round})" });
        }

        _orgCallsBefore = _rig.OrgApiCalls;
        _callsBefore = _rig.Client.Calls.Snapshot();
    }

    [Benchmark]
    public async Task IncrementalSync() => _result = await _rig.Sync.SyncObjectAsync("Lead");

    [IterationCleanup]
    public void IterationCleanup()
    {
        var r = _result!;
        var sample = _rig.Mirror.GetAsync("Lead", _changed[^1]).GetAwaiter().GetResult();
        SpineReport.Line($"incremental sync after {SpineReport.N(_changed.Count)} of {SpineReport.N(Leads)} leads changed: mode {r.Mode}, upserted {SpineReport.N(r.Upserted)}, "
            + $"{r.ApiCalls} API calls (org counted {_rig.OrgApiCalls - _orgCallsBefore}), {r.Duration.TotalSeconds:F2} s; last changed lead mirrored as '{sample?["Title"]}'");
        var calls = _rig.Client.Calls.Snapshot().ToDictionary(kv => kv.Key, kv => kv.Value - _callsBefore.GetValueOrDefault(kv.Key));
        SpineReport.Line($"calls by operation: {SpineReport.Calls(calls.Where(kv => kv.Value > 0).ToDictionary())}");
        SpineReport.Line($"naive: one GET per changed record = {SpineReport.N(_changed.Count)} calls; full re-read at 2,000 per page = {SpineReport.N((Leads + 1_999) / 2_000)} calls");
        SpineReport.ProcessPeak();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _rig.DisposeAsync();
}
