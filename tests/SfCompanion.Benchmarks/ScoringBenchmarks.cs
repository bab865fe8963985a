using BenchmarkDotNet.Attributes;
using SfCompanion.Rules;
using SfCompanion.Scoring;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Scoring on the projection of 1,000,000 leads (<see cref="RulesBenchmarkData"/>): a routine with a market and 20
/// weighted criteria (numbers scaled 0–1, picklists, parent fields, a date window, a roll-up over 1,000,000
/// opportunities), every record scored, banded and tagged; and the preview of a draft compared with it.
/// Goals: ≤ 1 s on one core for the scoring, ≤ 0.3 s for a preview.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private static readonly string[] Industries = ["Technology", "Finance", "Banking", "Retail", "Manufacturing"];

    public static RoutineDefinition Routine { get; } = new()
    {
        Name = "bench",
        Object = "Lead",
        Mandatory = [new CriterionDefinition { Name = "market", Formula = "NOT(ISPICKVAL(Industry, 'Education'))" }],
        Weighted =
        [
            .. Enumerable.Range(0, 5).Select(i => new WeightedCriterion { Name = "size" + i, Formula = $"NumberOfEmployees >= {50 * (i + 1)}", Weight = 1 + i }),
            .. Enumerable.Range(0, 5).Select(i => new WeightedCriterion { Name = "revenue" + i, Formula = $"AnnualRevenue / {(i + 1) * 4_000_000}", Weight = 2 }),
            .. Industries.Select((industry, i) => new WeightedCriterion { Name = "industry" + i, Formula = $"ISPICKVAL(Industry, '{industry}')", Weight = 3 }),
            new WeightedCriterion { Name = "owned", Formula = "Owner.IsActive", Weight = 2 },
            new WeightedCriterion { Name = "recent", Formula = "DATEVALUE(CreatedDate) >= ADDMONTHS(TODAY(), -12)", Weight = 2 },
            new WeightedCriterion { Name = "older", Formula = "DATEVALUE(CreatedDate) < ADDMONTHS(TODAY(), -24)", Weight = 1 },
            new WeightedCriterion { Name = "client", Formula = "ConvertedAccount.Won_24m > 10000", Weight = 5 },
            new WeightedCriterion { Name = "inbound", Formula = "ISPICKVAL(LeadSource, 'Web')", Weight = 1 },
        ],
        Targets = new RoutineTargets { Score = null, Band = null, Reasons = null, Tag = null, MatchDate = null },
        Tags = new RoutineTags { Client = "FALSE", Prospect = "FALSE" },
    };

    private RulesBenchmarkData _data = null!;
    private ScoringService _scoring = null!;
    private int _step;

    [GlobalSetup]
    public void Setup()
    {
        _data = RulesBenchmarkData.OpenAsync().GetAwaiter().GetResult();
        if (_data.Rules.Rollups.GetAsync(RulesBenchmarks.Won24.Name).GetAwaiter().GetResult() is null)
        {
            _data.Rules.SaveRollupAsync(RulesBenchmarks.Won24, "bench").GetAwaiter().GetResult();
        }

        _scoring = new ScoringService(_data.Rules, _data.Store, _data.Store, new Writeback.Outbox(_data.Store, TimeProvider.System), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ScoringService>.Instance);
        var (_, problems) = _scoring.SaveAsync(Routine, "bench").GetAwaiter().GetResult();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var first = _scoring.PreviewAsync(new RoutinePreviewRequest { Draft = Routine with { Name = "draft" }, Sample = 0 }).GetAwaiter().GetResult();
        Console.WriteLine($"// {first.InMarket:N0} of {first.Records:N0} leads in the market: {string.Join(", ", first.Bands.Select(b => $"{b.Band} {b.Count:N0}"))}");
    }

    [GlobalCleanup]
    public void Cleanup() => _data.Dispose();

    /// <summary>Every lead's market, score out of 100 (20 criteria), band and tag, every criterion evaluated (kept results dropped first).</summary>
    [Benchmark]
    public int Score_1M_leads_20_criteria_all_evaluated()
    {
        _data.Projection.Results.Clear();
        _data.Projection.Shares.Clear();
        return _scoring.PreviewAsync(new RoutinePreviewRequest { Draft = Routine with { Name = "draft" }, Sample = 0 }).GetAwaiter().GetResult().InMarket;
    }

    /// <summary>
    /// A draft routine with one criterion changed at every call, scored and compared with the saved routine, 20 samples
    /// with reasons: the changed criterion is evaluated, the others are the results kept from before.
    /// </summary>
    [Benchmark]
    public int Preview_draft_one_criterion_changed() => _scoring.PreviewAsync(new RoutinePreviewRequest
    {
        Draft = Routine with { Weighted = [Routine.Weighted[0] with { Formula = $"NumberOfEmployees >= {40 + (_step++ % 1000)}" }, .. Routine.Weighted.Skip(1)] },
        Sample = 20,
    }).GetAwaiter().GetResult().InMarket;
}
