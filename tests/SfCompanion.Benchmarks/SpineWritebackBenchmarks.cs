using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SfCompanion.Writeback;

namespace SfCompanion.Benchmarks;

/// <summary>
/// One writeback pass over 10,000 pending <c>Sfc_Score__c</c> values on 10,000 leads of a 20,000-lead org
/// (50–150 ms latency per call). <c>Collections</c>: changed values, Bulk threshold above 10,000 so every record
/// goes through sObject Collections. <c>Bulk</c>: changed values with the default threshold (2,000), so Bulk API 2.0.
/// <c>Bulk-1-page</c>: the same with the outbox read in one page of 10,000 instead of the default 5,000, so one
/// Bulk job instead of two. <c>Unchanged</c>: the values the mirror already holds, which must cost no call. Enqueueing happens before the
/// measured part and is timed separately.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3, invocationCount: 1)]
public class SpineWritebackBenchmarks
{
    private const int OrgLeads = 20_000;
    private const int Values = 10_000;
    private SpineRig _rig = null!;
    private List<string> _ids = [];
    private WritebackResult? _result;
    private int _orgCallsBefore;
    private int _round;

    [Params("Collections", "Bulk", "Bulk-1-page", "Unchanged")]
    public string Case { get; set; } = "Collections";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var writeback = Case switch
        {
            "Collections" => new WritebackOptions { BulkThreshold = Values + 1 },
            "Bulk-1-page" => new WritebackOptions { PageSize = Values },
            _ => new WritebackOptions(),
        };
        _rig = await SpineRig.StartAsync(OrgLeads, SpineRig.LeadsOnly("Sfc_Score__c"), writeback, CancellationToken.None);
        var initial = await _rig.Sync.SyncObjectAsync("Lead");
        SpineReport.Line($"mirror loaded: {initial.Mode}, {SpineReport.N(initial.Upserted)} leads, {initial.ApiCalls} calls");
        _ids = [.. _rig.LeadIds().Take(Values)];
        if (Case == "Unchanged")
        {
            // Salesforce and the mirror hold round 0's scores; every iteration asks for them again.
            await EnqueueAsync(0);
            var first = await _rig.Writeback.RunAsync();
            SpineReport.Line($"round 0 written (unmeasured): {SpineReport.N(first.Succeeded)} succeeded, {first.ApiCalls} calls");
        }
    }

    private async Task EnqueueAsync(int round)
    {
        var values = _ids.Select((id, i) => new DesiredValue("Lead", id, "Sfc_Score__c", (decimal)((round * 1_000) + (i % 97)), "benchmark", "score recomputed"));
        await _rig.Outbox.EnqueueAsync(values);
    }

    [IterationSetup]
    public void IterationSetup()
    {
        if (Case != "Unchanged")
        {
            _round++;
        }

        var started = Stopwatch.GetTimestamp();
        EnqueueAsync(_round).GetAwaiter().GetResult();
        SpineReport.Line($"enqueued {SpineReport.N(Values)} values (round {_round}) in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s (not part of the measured time)");
        _orgCallsBefore = _rig.OrgApiCalls;
    }

    [Benchmark]
    public async Task Writeback() => _result = await _rig.Writeback.RunAsync();

    [IterationCleanup]
    public void IterationCleanup()
    {
        var r = _result!;
        var expected = (decimal)((_round * 1_000) + ((Values - 1) % 97));
        var inOrg = _rig.Org.Data.Get(_ids[^1])!["Sfc_Score__c"];
        var pending = _rig.Outbox.CountAsync().GetAwaiter().GetResult();
        SpineReport.Line($"{Case}: examined {SpineReport.N(r.Examined)}, unchanged {SpineReport.N(r.Unchanged)}, succeeded {SpineReport.N(r.Succeeded)}, dead-lettered {r.DeadLettered}, "
            + $"still pending {pending}, {r.ApiCalls} API calls (org counted {_rig.OrgApiCalls - _orgCallsBefore}); last lead's score in the org {inOrg} (expected {expected})");
        SpineReport.Line($"calls by operation: {SpineReport.Calls(r.CallsByOperation)}");
        SpineReport.Line($"naive: one PATCH per record = {SpineReport.N(Values)} calls");
        SpineReport.ProcessPeak();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _rig.DisposeAsync();
}
