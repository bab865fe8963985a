using System.Diagnostics;
using System.Globalization;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Freshness of the mirror with the one-minute sync schedule, and the API calls per day that schedule costs,
/// against the emulated org (100,000 leads and their related records, 50–150 ms latency per call, the nine default
/// objects). Run with <c>dotnet run -c Release -- freshness</c>; prints <c>FRESH |</c> lines.
/// </summary>
internal static class FreshnessBenchmark
{
    private const int Leads = 100_000;
    private const int Samples = 20;
    private const int CallsPasses = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public static async Task RunAsync()
    {
        var ct = CancellationToken.None;
        await using var rig = await SpineRig.StartAsync(Leads, new SyncOptions(), new WritebackOptions(), ct);
        var ids = rig.LeadIds();
        var random = new Random(42);

        var started = Stopwatch.GetTimestamp();
        var initial = await rig.Sync.SyncAllAsync(cancellationToken: ct);
        Line($"initial sync of {initial.Objects.Count} objects: {initial.ApiCalls} calls, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, {await rig.Mirror.CountAsync("Lead", ct):N0} leads mirrored");

        // The first incremental pass after a load reads the overlap before each watermark again (the tail of the
        // generated history); from the next one on, an idle object reads only its records stamped at the watermark.
        var settle = await rig.Sync.SyncAllAsync(cancellationToken: ct);
        Line($"first incremental pass after the load: {settle.ApiCalls} calls");

        // Idle: nothing changes between passes.
        var idleCalls = new List<long>();
        for (var i = 0; i < CallsPasses; i++)
        {
            var pass = await rig.Sync.SyncAllAsync(cancellationToken: ct);
            idleCalls.Add(pass.ApiCalls);

            Check(pass.Changed == 0, $"idle pass changed {pass.Changed} records");
        }

        // 1 % of 100,000 leads change per hour: 1,000 an hour, about 17 between two one-minute passes.
        var perPass = (int)Math.Ceiling(Leads * 0.01 / 60);
        var churnCalls = new List<long>();
        for (var i = 0; i < CallsPasses; i++)
        {
            for (var j = 0; j < perPass; j++)
            {
                rig.Org.Data.Update(ids[random.Next(ids.Count)], new Dictionary<string, object?> { ["Company"] = $"Churn {i}-{j}" });
            }

            var pass = await rig.Sync.SyncAllAsync(cancellationToken: ct);
            churnCalls.Add(pass.ApiCalls);
            Check(pass.Changed >= 1, "a churn pass changed nothing");
        }

        // Freshness: a lead changes at a uniformly random moment of the minute; the next scheduled pass starts at the
        // next minute boundary (the wait is drawn, not slept) and the pass itself is measured, change to mirror.
        var passes = new List<double>();
        var freshness = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var value = "Fresh " + i.ToString(CultureInfo.InvariantCulture);
            var waitForTick = random.NextDouble() * Interval.TotalSeconds;
            rig.Org.Data.Update(id, new Dictionary<string, object?> { ["Company"] = value });
            var t0 = Stopwatch.GetTimestamp();
            await rig.Sync.SyncAllAsync(cancellationToken: ct);
            var pass = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            Check((await rig.Mirror.GetAsync("Lead", id, ct))?["Company"] == value, "the changed lead is not in the mirror after the pass");
            passes.Add(pass);
            freshness.Add(waitForTick + pass);
        }

        Line($"idle pass: {Describe(idleCalls)} calls per pass → {idleCalls.Average() * 1440:N0} calls per day at one pass a minute");
        Line($"1 % of {Leads:N0} leads per hour ({perPass} changes per pass): {Describe(churnCalls)} calls per pass → {churnCalls.Average() * 1440:N0} calls per day");
        Line($"pass duration (change → mirror once the pass starts), {Samples} samples: median {Median(passes):0.00} s, worst {passes.Max():0.00} s");
        Line($"change → mirror with the one-minute schedule, {Samples} samples: median {Median(freshness):0.0} s, worst {freshness.Max():0.0} s; bound: {Interval.TotalSeconds:0} s + worst pass = {Interval.TotalSeconds + passes.Max():0.0} s");
    }

    private static string Describe(List<long> calls) =>
        calls.Min() == calls.Max() ? calls[0].ToString(CultureInfo.InvariantCulture) : $"{calls.Min()}–{calls.Max()} (mean {calls.Average():0.0})";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static void Line(string text) => Console.WriteLine("FRESH | " + text);
}
