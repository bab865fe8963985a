using System.Globalization;
using SfCompanion.IntegrationTests.Spine;
using SfCompanion.Rules;
using SfCompanion.Scoring;
using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Scoring;

/// <summary>A software-publisher routine on leads of an emulated org: market, weighted score, signal, bands, tags, flow, written back.</summary>
public sealed class ScoringTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RoutineDefinition Publishers = new()
    {
        Name = "software-publishers",
        Object = "Lead",
        Mandatory = [new() { Name = "publisher", Formula = "ISPICKVAL(Industry, 'Technology')" }],
        Weighted =
        [
            new() { Name = "size", Formula = "NumberOfEmployees >= 100", Weight = 3 },
            new() { Name = "revenue", Formula = "AnnualRevenue / 10000000", Weight = 2 },
        ],
        Signals = [new() { Name = "clicked", Kind = "click", Weight = 1, HalfLifeDays = 30 }],
    };

    private static async Task<(SpineHarness H, List<string> Ids)> OrgAsync()
    {
        var h = await SpineHarness.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(h.Org.Data.Insert("Lead", new Dictionary<string, object?>
            {
                ["LastName"] = "Martin " + i, ["Company"] = "Éditeur " + i, ["Industry"] = i < 100 ? "Technology" : "Retail",
                ["NumberOfEmployees"] = i % 2 == 0 ? 200 : 10, ["AnnualRevenue"] = i % 4 == 0 ? 5_000_000 : 0,
                ["Status"] = i % 10 == 0 ? "Working - Contacted" : "Open - Not Contacted",
                ["Email"] = $"l{i}@exemple.fr",
            }));
        }

        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        // A human click written by click tracking today on lead 0 (the mirror keeps what SfCompanion writes).
        await h.Mirror.PutAsync("Lead", [new MirrorRecord("Lead", ids[0], new Dictionary<string, string?> { ["Sfc_Last_Click_Date__c"] = h.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) })], merge: true, Ct);
        return (h, ids);
    }

    [Fact]
    public async Task Scores_bands_reasons_tags_and_match_dates_reach_Salesforce_and_a_second_run_costs_nothing()
    {
        var (h, ids) = await OrgAsync();
        await using var _ = h;
        var (saved, problems) = await h.Scoring.SaveAsync(Publishers, "test", Ct);
        Assert.True(saved is not null, string.Join(Environment.NewLine, problems));

        var run = await h.Scoring.RunAsync(saved, Ct);
        var written = await h.Writeback.RunAsync(cancellationToken: Ct);
        var again = await h.Scoring.RunAsync(saved, Ct);

        Assert.Equal(RuleStatuses.Ok, run.Status);
        Assert.Equal(100, run.InMarket);
        Assert.Equal(100, run.Transitions);
        Assert.Equal(10, run.Tags[ScoringDefaults.Prospect]);
        Assert.Equal(90, run.Tags[ScoringDefaults.Suspect]);
        Assert.Equal(100, run.Bands.Sum(b => b.Count));
        Assert.Equal(0, written.DeadLettered);
        // Lead 0: size 3/6, revenue 1/6 (5 M of 10 M: half of its weight 2), clicked today 1/6: 5 of 6 points → 83.
        var lead0 = h.OrgRecords($"SELECT Sfc_Score__c, Sfc_Score_Band__c, Sfc_Score_Reasons__c, Sfc_Routine_Tag__c, Sfc_Match_Date__c FROM Lead WHERE Id = '{ids[0]}'")[0];
        Assert.Equal(83d, Convert.ToDouble(lead0["Sfc_Score__c"], CultureInfo.InvariantCulture));
        Assert.Equal("hot", lead0["Sfc_Score_Band__c"]);
        Assert.Equal("size +50; revenue +16.7; clicked +16.7", lead0["Sfc_Score_Reasons__c"]);
        Assert.Equal(ScoringDefaults.Prospect, lead0["Sfc_Routine_Tag__c"]);
        Assert.Equal(DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime), lead0["Sfc_Match_Date__c"]);
        // Lead 1: none of it → 0, cold, no reasons.
        var lead1 = h.OrgRecords($"SELECT Sfc_Score__c, Sfc_Score_Band__c, Sfc_Score_Reasons__c FROM Lead WHERE Id = '{ids[1]}'")[0];
        Assert.Equal(0d, Convert.ToDouble(lead1["Sfc_Score__c"], CultureInfo.InvariantCulture));
        Assert.Equal("cold", lead1["Sfc_Score_Band__c"]);
        // Out of the market: nothing written.
        Assert.Null(h.OrgRecords($"SELECT Sfc_Routine_Tag__c FROM Lead WHERE Id = '{ids[120]}'")[0]["Sfc_Routine_Tag__c"]);
        Assert.Equal(0, again.ValuesQueued);
        Assert.Equal(0, again.Transitions);
    }

    [Fact]
    public async Task A_suspect_put_back_leaves_the_flow_and_comes_back_only_when_new_facts_raise_its_score()
    {
        var (h, ids) = await OrgAsync();
        await using var _ = h;
        var (saved, _) = await h.Scoring.SaveAsync(Publishers with { MatchPoints = 20 }, "test", Ct);
        await h.Scoring.RunAsync(saved!, Ct);
        var flow = await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct);
        Assert.Equal(90, flow.Count);
        Assert.True(flow.Select(f => f.Score).SequenceEqual(flow.Select(f => f.Score).OrderByDescending(s => s)));

        // Lead 3 (score 0) is shown to a rep and put back.
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Scoring.MarkSeenAsync(Publishers.Name, [ids[3]], h.Time.GetUtcNow(), Ct);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Scoring.RunAsync(saved!, Ct);
        Assert.DoesNotContain(await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct), f => f.Id == ids[3]);

        // A new fact worth 50 points (size) brings it back.
        h.Org.Data.Update(ids[3], new Dictionary<string, object?> { ["NumberOfEmployees"] = 500 });
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        await h.Scoring.RunAsync(saved!, Ct);
        var back = Assert.Single(await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct), f => f.Id == ids[3]);
        Assert.Equal(50, back.Score);
        Assert.True(back.MatchedAt > back.LastSeen);
    }

    [Fact]
    public async Task Leaving_the_market_is_a_logged_transition_and_blanks_the_fields()
    {
        var (h, ids) = await OrgAsync();
        await using var _ = h;
        var (saved, _) = await h.Scoring.SaveAsync(Publishers, "test", Ct);
        await h.Scoring.RunAsync(saved!, Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        var before = await h.Store.GetLastSequenceAsync(ScoringService.TransitionLog, Ct);

        h.Org.Data.Update(ids[0], new Dictionary<string, object?> { ["Industry"] = "Retail" });
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var run = await h.Scoring.RunAsync(saved!, Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(99, run.InMarket);
        var logged = await h.Store.ReadAsync(ScoringService.TransitionLog, before, 10, Ct);
        var transition = System.Text.Json.JsonSerializer.Deserialize<TagTransition>(Assert.Single(logged).Payload, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal((ids[0], ScoringDefaults.Prospect, ScoringDefaults.OutOfMarket, "no longer meets the mandatory criteria"), (transition.Id, transition.From, transition.To, transition.Cause));
        var lead0 = h.OrgRecords($"SELECT Sfc_Score__c, Sfc_Routine_Tag__c FROM Lead WHERE Id = '{ids[0]}'")[0];
        Assert.Null(lead0["Sfc_Score__c"]);
        Assert.Null(lead0["Sfc_Routine_Tag__c"]);
    }

    [Fact]
    public async Task Preview_counts_bands_and_suspects_gained_against_the_saved_routine()
    {
        var (h, _) = await OrgAsync();
        await using var _h = h;
        await h.Scoring.SaveAsync(Publishers, "test", Ct);

        var preview = await h.Scoring.PreviewAsync(new RoutinePreviewRequest
        {
            Draft = Publishers with { Mandatory = [new() { Name = "publisher", Formula = "ISPICKVAL(Industry, 'Technology') || ISPICKVAL(Industry, 'Retail')" }] },
            Sample = 3,
        }, Ct);

        Assert.Equal(150, preview.InMarket);
        Assert.Equal(100, preview.SavedInMarket);
        Assert.Equal(50 - 5, preview.SuspectsGained);
        Assert.Equal(0, preview.SuspectsLost);
        Assert.Equal(150, preview.Bands.Sum(b => b.Count));
        Assert.Equal(3, preview.Samples.Count);
        Assert.Equal(83, preview.Samples[0].Score);
    }

    [Theory]
    [InlineData("gap", "Scores 50–59 are in no band")]
    [InlineData("overlap", "overlaps the band before it")]
    [InlineData("zero", "The weights sum to 0")]
    [InlineData("type", "a weighted criterion returns a Boolean or a Number")]
    [InlineData("signal", "is not a date or date/time field")]
    public async Task Bad_routines_are_refused_with_what_to_fix(string kind, string message)
    {
        var (h, _) = await OrgAsync();
        await using var _h = h;
        var routine = kind switch
        {
            "gap" => Publishers with { Bands = [new("low", 0, 49), new("high", 60, 100)] },
            "overlap" => Publishers with { Bands = [new("low", 0, 50), new("high", 50, 100)] },
            "zero" => Publishers with { Weighted = [Publishers.Weighted[0] with { Weight = 0 }], Signals = [] },
            "type" => Publishers with { Weighted = [new() { Name = "name", Formula = "Company", Weight = 1 }] },
            _ => Publishers with { Signals = [new() { Name = "x", Kind = "field", Field = "Company", Weight = 1 }] },
        };

        var (saved, problems) = await h.Scoring.SaveAsync(routine, "test", Ct);

        Assert.Null(saved);
        Assert.Contains(problems, p => p.Message.Contains(message, StringComparison.Ordinal) && p.Rule == Publishers.Name);
        Assert.Null(await h.Scoring.Routines.GetAsync(Publishers.Name, Ct));
    }
}
