using SfCompanion.IntegrationTests.Spine;
using SfCompanion.Rules;

namespace SfCompanion.IntegrationTests.Rules;

/// <summary>
/// The VIP walk-through on an emulated org built for it: 1,000 → drop partners and shareholders → 600 → only wins
/// of the last 2 years → 450 → add 3-year clients not contacted for 6 months → 512; then saved, run, written back.
/// </summary>
public sealed class VipWalkthroughTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SpineHarness> OrgAsync()
    {
        var h = await SpineHarness.StartAsync();
        VipScenario.Insert(h.Org, DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        foreach (var rollup in VipScenario.Rollups)
        {
            var (saved, problems) = await h.Rules.SaveRollupAsync(rollup, "test", Ct);
            Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
        }

        return h;
    }

    [Fact]
    public async Task The_seed_sequence_1000_600_450_512_is_reproduced_by_what_ifs()
    {
        await using var h = await OrgAsync();

        var all = await h.Rules.PreviewAsync(new() { Draft = VipScenario.Draft(VipScenario.Client) }, Ct);
        var noPartners = await h.Rules.PreviewAsync(new() { Draft = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner), BreakdownBy = "TEXT(Account.Type)" }, Ct);
        var recent = await h.Rules.PreviewAsync(new()
        {
            Draft = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner),
            Rollups = [VipScenario.WonLast24Months],
        }, Ct);
        var loyal = await h.Rules.PreviewAsync(new()
        {
            Draft = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner, VipScenario.LoyalQuietCriterion) with { Combine = "(client || loyal_quiet) && not_partner" },
            Rollups = [VipScenario.WonLast24Months],
            Sample = 5,
        }, Ct);

        Assert.Equal(VipScenario.Clients, all.Matches);
        Assert.Equal(1_300, all.Records);
        Assert.Equal(VipScenario.NotPartners, noPartners.Matches);
        Assert.Equal(["Customer - Channel", "Customer - Direct"], noPartners.Breakdown.Select(b => b.Value).Order(StringComparer.Ordinal));
        Assert.Equal(VipScenario.NotPartners, noPartners.Breakdown.Sum(b => b.Count));
        Assert.Equal(VipScenario.RecentWinners, recent.Matches);
        Assert.Equal(VipScenario.RecentWinners + VipScenario.LoyalQuiet, loyal.Matches);
        Assert.Equal(5, loyal.Samples.Count);
        Assert.All(loyal.Samples, s => Assert.Contains("not-partner", s.Reasons, StringComparison.Ordinal));
        Assert.All(loyal.Samples, s => Assert.StartsWith("Camille Martin ", s.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saved_rule_is_written_back_with_reasons_since_and_review_date_and_a_second_run_costs_nothing()
    {
        await using var h = await OrgAsync();
        var today = DateOnly.FromDateTime(h.Time.GetUtcNow().UtcDateTime);
        Assert.NotNull((await h.Rules.SaveRollupAsync(VipScenario.WonLast24Months, "test", Ct)).Saved);
        var rule = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner, VipScenario.LoyalQuietCriterion) with
        {
            Combine = "(client || loyal_quiet) && not_partner",
            Targets = new() { Flag = "Sfc_Vip__c", Reasons = "Sfc_Vip_Reasons__c", Since = "Sfc_Vip_Since__c", Until = "Sfc_Vip_Until__c" },
        };
        var (saved, problems) = await h.Rules.SaveRuleAsync(rule, "test", Ct);
        Assert.True(saved is not null, string.Join(Environment.NewLine, problems));

        var run = await h.Rules.RunAsync(saved, Ct);
        var written = await h.Writeback.RunAsync(cancellationToken: Ct);
        var again = await h.Rules.RunAsync(saved, Ct);

        Assert.Equal(RuleStatuses.Ok, run.Status);
        Assert.Equal(512, run.Matched);
        Assert.Equal(512, run.Gained);
        Assert.Equal(0, written.DeadLettered);
        var vips = h.OrgRecords("SELECT Id, Sfc_Vip_Reasons__c, Sfc_Vip_Since__c, Sfc_Vip_Until__c FROM Contact WHERE Sfc_Vip__c = true");
        Assert.Equal(512, vips.Count);
        Assert.All(vips, v => Assert.Equal(today, v["Sfc_Vip_Since__c"]));
        var watched = vips.Single(v => (string)v["Id"]! == VipScenario.WatchedContact);
        Assert.Equal("client; not-partner", watched["Sfc_Vip_Reasons__c"]);
        // Its only win leaves the 24-month window the day after its second anniversary: the flag's review date.
        var expected = VipScenario.WatchedWin(today).AddMonths(24).AddDays(1);
        Assert.Equal(expected, watched["Sfc_Vip_Until__c"]);
        Assert.Equal(run.NextReview, vips.Select(v => v["Sfc_Vip_Until__c"]).OfType<DateOnly>().Min());
        // Unchanged values cost nothing: the mirror already holds them.
        Assert.Equal(0, again.ValuesQueued);
        Assert.Equal(0, again.Gained);
    }

    [Fact]
    public async Task Flags_expire_by_themselves_when_the_window_passes()
    {
        await using var h = await OrgAsync();
        Assert.NotNull((await h.Rules.SaveRollupAsync(VipScenario.WonLast24Months, "test", Ct)).Saved);
        var (saved, _) = await h.Rules.SaveRuleAsync(VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner) with { Targets = new() { Flag = "Sfc_Vip__c" } }, "test", Ct);
        var first = await h.Rules.RunAsync(saved!, Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);

        // Two months later nothing changed in the org, but the watched contact's only win is now older than 24 months.
        h.Time.Advance(TimeSpan.FromDays(61));
        var later = await h.Rules.RunAsync(saved!, Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(VipScenario.RecentWinners, first.Matched);
        Assert.True(later.Lost >= 1, $"lost {later.Lost}");
        Assert.Equal(VipScenario.RecentWinners - later.Lost, later.Matched);
        Assert.Equal(false, h.OrgRecords($"SELECT Sfc_Vip__c FROM Contact WHERE Id = '{VipScenario.WatchedContact}'")[0]["Sfc_Vip__c"]);
        Assert.Equal(later.Matched, h.OrgRecords("SELECT Id FROM Contact WHERE Sfc_Vip__c = true").Count);
    }

    [Fact]
    public async Task Opted_out_people_are_excluded_and_org_changes_reach_the_projection_through_the_sync()
    {
        await using var h = await OrgAsync();
        var draft = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner);
        var before = await h.Rules.PreviewAsync(new() { Draft = draft }, Ct);
        var optedOut = h.OrgRecords("SELECT Id FROM Contact WHERE Account.Type = 'Customer - Direct' LIMIT 7").Select(r => (string)r["Id"]!).ToList();
        foreach (var id in optedOut)
        {
            h.Org.Data.Update(id, new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = true });
        }

        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var after = await h.Rules.PreviewAsync(new() { Draft = draft }, Ct);
        var unless = await h.Rules.PreviewAsync(new() { Draft = draft with { ExcludeOptedOut = false } }, Ct);

        Assert.Equal(VipScenario.NotPartners, before.Matches);
        Assert.Equal(VipScenario.NotPartners - optedOut.Count, after.Matches);
        Assert.Equal(optedOut.Count, after.ExcludedByConsent);
        Assert.Equal(VipScenario.NotPartners, unless.Matches);
    }

    [Fact]
    public async Task A_rollup_with_a_target_is_written_to_Salesforce_and_not_again_when_unchanged()
    {
        await using var h = await OrgAsync();
        var (saved, problems) = await h.Rules.SaveRollupAsync(VipScenario.Rollups[0] with { Target = "AnnualRevenue" }, "test", Ct);
        Assert.True(saved is not null, string.Join(Environment.NewLine, problems));

        var first = await h.Rules.RunAllAsync(cancellationToken: Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        var second = await h.Rules.RunAllAsync(cancellationToken: Ct);

        var result = Assert.Single(first, r => r.Rule == "roll-up Won");
        Assert.Equal(RuleStatuses.Ok, result.Status);
        Assert.Equal(1_300, result.ValuesQueued);
        Assert.Equal(0, Assert.Single(second, r => r.Rule == "roll-up Won").ValuesQueued);
        var account = VipScenario.AccountOf(h.Org, VipScenario.WatchedContact);
        Assert.Equal(75_000m, Convert.ToDecimal(h.OrgRecords($"SELECT AnnualRevenue FROM Account WHERE Id = '{account}'")[0]["AnnualRevenue"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
