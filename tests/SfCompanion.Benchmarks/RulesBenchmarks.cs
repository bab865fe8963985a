using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using SfCompanion.Formulas;
using SfCompanion.Rules;
using SfCompanion.Sync;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Rules on the columnar projection of 1,000,000 leads and 1,000,000 opportunities (<see cref="RulesBenchmarkData"/>):
/// a five-criteria VIP rule (one criterion reads a 24-month roll-up over the opportunities through the lead's
/// converted account), a what-if that changes a criterion, a what-if that changes the roll-up's filter, the
/// projection taking 10,000 changed leads, and the same rule evaluated by deserialising the mirror's documents.
/// Goals: ≤ 0.2 s, ≤ 0.05 s, ≤ 0.3 s, ≤ 1 s. Memory of the projection: <c>rules-memory</c> (see Program).
/// </summary>
[MemoryDiagnoser]
public class RulesBenchmarks
{
    public static readonly RollupDefinition Won24 = new()
    {
        Name = "Won_24m", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount",
        Filter = "IsWon && CloseDate >= ADDMONTHS(TODAY(), -24)",
    };

    public static readonly RuleDefinition Vip = new()
    {
        Name = "vip",
        Object = "Lead",
        Criteria =
        [
            new() { Name = "big", Formula = "NumberOfEmployees >= 200 || AnnualRevenue > 5000000" },
            new() { Name = "sector", Formula = "ISPICKVAL(Industry, 'Technology') || ISPICKVAL(Industry, 'Finance') || ISPICKVAL(Industry, 'Banking')" },
            new() { Name = "owned", Formula = "Owner.IsActive" },
            new() { Name = "recent", Formula = "DATEVALUE(CreatedDate) >= ADDMONTHS(TODAY(), -36)" },
            new() { Name = "client", Formula = "ConvertedAccount.Won_24m > 10000" },
        ],
        Combine = "big && sector && owned && (recent || client)",
    };

    private RulesBenchmarkData _data = null!;
    private List<MirrorRecord> _changes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = RulesBenchmarkData.OpenAsync().GetAwaiter().GetResult();
        if (_data.Rules.Rollups.GetAsync(Won24.Name).GetAwaiter().GetResult() is null)
        {
            var (_, rollupProblems) = _data.Rules.SaveRollupAsync(Won24, "bench").GetAwaiter().GetResult();
            var (_, problems) = _data.Rules.SaveRuleAsync(Vip, "bench").GetAwaiter().GetResult();
            if (rollupProblems.Count + problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, rollupProblems.Concat(problems)));
            }
        }

        // Loads the projection's columns once, as the service's first preview does.
        var started = Stopwatch.GetTimestamp();
        var first = RuleOnly();
        Console.WriteLine($"// projection loaded and first evaluation in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {first.Matches:N0} of {first.Records:N0} match");
        _changes = [.. Enumerable.Range(0, 10_000).Select(i => new MirrorRecord("Lead", RulesBenchmarkData.Id("00Q", i * 97), new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["NumberOfEmployees"] = (i % 900).ToString(CultureInfo.InvariantCulture),
            ["Industry"] = i % 2 == 0 ? "Technology" : "Retail",
        }))];
    }

    [GlobalCleanup]
    public void Cleanup() => _data.Dispose();

    private RulePreview RuleOnly() =>
        _data.Rules.PreviewAsync(new RulePreviewRequest { Draft = Vip with { Name = "draft" }, Sample = 0 }).GetAwaiter().GetResult();

    private int _step;

    /// <summary>
    /// The five-criteria rule over 1,000,000 leads, every criterion evaluated (kept results dropped first; the
    /// roll-up is current).
    /// </summary>
    [Benchmark]
    public int Rule_five_criteria_1M_leads_all_evaluated()
    {
        _data.Projection.Results.Clear();
        return RuleOnly().Matches;
    }

    /// <summary>
    /// What-if changing one criterion (to a new value at every call), compared with the saved rule: the changed
    /// criterion and the combining formula are evaluated; unchanged criteria are the results kept from before.
    /// </summary>
    [Benchmark]
    public int WhatIf_criterion_change() => _data.Rules.PreviewAsync(new RulePreviewRequest
    {
        Draft = Vip with { Criteria = [Vip.Criteria[0] with { Formula = $"NumberOfEmployees >= {300 + (_step++ % 1000)}" }, .. Vip.Criteria.Skip(1)] },
        Sample = 20,
    }).GetAwaiter().GetResult().Matches;

    /// <summary>What-if changing the roll-up's filter (to a new window at every call): 1,000,000 opportunities aggregated again, then the rule.</summary>
    [Benchmark]
    public int WhatIf_rollup_filter_change() => _data.Rules.PreviewAsync(new RulePreviewRequest
    {
        Draft = Vip with { Name = "draft" },
        Rollups = [Won24 with { Filter = $"IsWon && CloseDate >= ADDMONTHS(TODAY(), -{12 + (_step++ % 24)})" }],
        Sample = 20,
    }).GetAwaiter().GetResult().Matches;

    /// <summary>10,000 changed leads from a sync page applied to the projection (the store write is the sync's, not counted).</summary>
    [Benchmark]
    public void Apply_10k_changed_leads() => _data.Projection.OnPutAsync("Lead", _changes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>The same rule without the projection: every lead and opportunity document read and deserialised.</summary>
    [Benchmark]
    public int Baseline_deserialising_mirror_documents() => DeserialisingBaseline.CountAsync(_data.Mirror, RulesBenchmarkData.Today).GetAwaiter().GetResult();
}

/// <summary>The VIP rule evaluated record by record from the mirror's JSON documents, as a naive implementation would.</summary>
internal static class DeserialisingBaseline
{
    public static async Task<int> CountAsync(Mirror mirror, DateOnly today)
    {
        var activeUsers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var user in mirror.ListAsync("User"))
        {
            if (user["IsActive"] == "true")
            {
                activeUsers.Add(user.Id);
            }
        }

        var won = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var from = today.AddMonths(-24);
        await foreach (var opportunity in mirror.ListAsync("Opportunity"))
        {
            if (opportunity["IsWon"] == "true" && DateOnly.Parse(opportunity["CloseDate"]!, CultureInfo.InvariantCulture) >= from && opportunity["AccountId"] is { } account)
            {
                won[account] = won.GetValueOrDefault(account) + decimal.Parse(opportunity["Amount"] ?? "0", CultureInfo.InvariantCulture);
            }
        }

        var count = 0;
        var created = today.AddMonths(-36);
        await foreach (var lead in mirror.ListAsync("Lead"))
        {
            var employees = decimal.TryParse(lead["NumberOfEmployees"], CultureInfo.InvariantCulture, out var e) ? e : (decimal?)null;
            var revenue = decimal.TryParse(lead["AnnualRevenue"], CultureInfo.InvariantCulture, out var r) ? r : (decimal?)null;
            var big = employees >= 200 || revenue > 5_000_000;
            var sector = lead["Industry"] is "Technology" or "Finance" or "Banking";
            var owned = lead["OwnerId"] is { } owner && activeUsers.Contains(owner);
            var recent = lead["CreatedDate"] is { } c && DateOnly.FromDateTime(DateTime.Parse(c, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)) >= created;
            var client = lead["ConvertedAccountId"] is { } a && won.GetValueOrDefault(a) > 10_000;
            if (big && sector && owned && (recent || client) && lead["HasOptedOutOfEmail"] != "true")
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary><c>rules-memory</c>: what the projection of the benchmark data costs in memory and time to load.</summary>
internal static class RulesMemory
{
    public static async Task RunAsync()
    {
        using var data = await RulesBenchmarkData.OpenAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.GetTimestamp();
        if (await data.Rules.Rollups.GetAsync(RulesBenchmarks.Won24.Name) is null)
        {
            await data.Rules.SaveRollupAsync(RulesBenchmarks.Won24, "bench");
        }

        var preview = await data.Rules.PreviewAsync(new RulePreviewRequest { Draft = RulesBenchmarks.Vip with { Name = "draft" }, Sample = 0 });
        var load = Stopwatch.GetElapsedTime(started);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"Projection of {RulesBenchmarkData.Leads:N0} leads, {RulesBenchmarkData.Opportunities:N0} opportunities, {RulesBenchmarkData.Accounts:N0} accounts, {RulesBenchmarkData.Users:N0} users");
        Console.WriteLine($"  records read from the store: {data.Projection.RecordsLoaded:N0}; load + first evaluation: {load.TotalSeconds:0.0} s; {preview.Matches:N0} leads match");
        Console.WriteLine($"  managed heap held by the projection: {(after - before) / 1024.0 / 1024.0:N0} MiB; process working set: {process.WorkingSet64 / 1024.0 / 1024.0:N0} MiB (peak {process.PeakWorkingSet64 / 1024.0 / 1024.0:N0} MiB)");
        started = Stopwatch.GetTimestamp();
        var baseline = await DeserialisingBaseline.CountAsync(data.Mirror, RulesBenchmarkData.Today);
        Console.WriteLine($"  deserialising baseline: {baseline:N0} leads match (projection: {preview.Matches:N0}) in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }
}
