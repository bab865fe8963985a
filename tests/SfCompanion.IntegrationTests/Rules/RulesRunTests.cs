using SfCompanion.IntegrationTests.Spine;
using SfCompanion.Rules;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Rules;

/// <summary>
/// Rule runs on a small emulated org: a failing rule never stops the others and writes nothing, run-time errors
/// (division by zero) count records without failing the rule, blanks as zeroes, and the projection follows the
/// sync's changes without reading the mirror again.
/// </summary>
public sealed class RulesRunTests
{
    /// <summary>Accounts by head count: 20 with 500 people, 10 with none, 10 blank, 10 with 5; one contact each; 6 leads, 3 of them with a task.</summary>
    private const int Big = 20, NoStaff = 10, Unknown = 10, Small = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Org(SpineHarness H, List<string> SmallAccounts, List<string> ZeroAccounts, List<string> Contacts, List<string> Leads) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => H.DisposeAsync();
    }

    private static async Task<Org> OrgAsync()
    {
        var h = await SpineHarness.StartAsync();
        var data = h.Org.Data;
        var small = new List<string>();
        var zero = new List<string>();
        var contacts = new List<string>();
        var n = 0;
        void Accounts(int count, int? employees, decimal revenue, List<string>? ids)
        {
            for (var i = 0; i < count; i++, n++)
            {
                var fields = new Dictionary<string, object?> { ["Name"] = "Société " + n, ["AnnualRevenue"] = revenue };
                if (employees is { } e)
                {
                    fields["NumberOfEmployees"] = e;
                }

                var account = data.Insert("Account", fields);
                ids?.Add(account);
                contacts.Add(data.Insert("Contact", new Dictionary<string, object?> { ["AccountId"] = account, ["FirstName"] = "Camille", ["LastName"] = "Martin " + n }));
            }
        }

        Accounts(Big, 500, 1_000_000m, null);
        Accounts(NoStaff, 0, 1_000_000m, zero);
        Accounts(Unknown, null, 1_000_000m, null);
        Accounts(Small, 5, 1_000m, small);
        var leads = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var lead = data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = "Durand " + i, ["Company"] = "Entreprise " + i, ["Email"] = $"durand{i}@exemple.fr" });
            leads.Add(lead);
            if (i < 3)
            {
                data.Insert("Task", new Dictionary<string, object?> { ["WhoId"] = lead, ["Subject"] = "Appel", ["TaskSubtype"] = "Call", ["Status"] = "Completed" });
            }
        }

        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        return new Org(h, small, zero, contacts, leads);
    }

    private static RuleDefinition Rule(string name, string sobject, string criterion, string formula) =>
        new() { Name = name, Object = sobject, Criteria = [new() { Name = criterion, Formula = formula }] };

    private static async Task<Versioned<RuleDefinition>> SaveAsync(SpineHarness h, RuleDefinition rule)
    {
        var (saved, problems) = await h.Rules.SaveRuleAsync(rule, "test", Ct);
        Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
        return saved;
    }

    private static async Task<List<OutboxEntry>> OutboxAsync(SpineHarness h)
    {
        var all = new List<OutboxEntry>();
        string? after = null;
        do
        {
            var (items, next) = await h.Outbox.ListAsync(after, 100, Ct);
            all.AddRange(items);
            after = next;
        }
        while (after is not null);
        return all;
    }

    [Fact]
    public async Task A_rule_whose_roll_up_was_deleted_fails_alone_writes_nothing_and_the_next_rule_still_runs()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var touches = new RollupDefinition { Name = "Touches", Object = "Lead", ChildObject = "Task", Relationship = "WhoId", Function = "COUNT" };
        Assert.NotNull((await h.Rules.SaveRollupAsync(touches, "test", Ct)).Saved);
        // Ordered by name: the failing rule runs first.
        await SaveAsync(h, Rule("a-touched", "Lead", "touched", "Touches > 0") with { Targets = new() { Flag = "Sfc_Vip__c" } });
        await SaveAsync(h, Rule("b-big", "Contact", "big", "Account.NumberOfEmployees > 100") with { Targets = new() { Flag = "Sfc_Vip__c", Reasons = "Sfc_Vip_Reasons__c" } });
        await h.Rules.Rollups.SaveAsync("Touches", touches, "test", deleted: true, cancellationToken: Ct);

        var results = await h.Rules.RunAllAsync(cancellationToken: Ct);

        Assert.Equal(["a-touched", "b-big"], results.Select(r => r.Rule));
        var failed = results[0];
        Assert.Equal(RuleStatuses.Failed, failed.Status);
        Assert.Equal(0, failed.ValuesQueued);
        var problem = Assert.Single(failed.Problems);
        Assert.Equal("a-touched", problem.Rule);
        Assert.Equal("criterion touched", problem.Part);
        Assert.Contains("Field Touches does not exist", problem.Message, StringComparison.Ordinal);
        Assert.Equal((1, 1), (problem.Line, problem.Column));
        Assert.Equal(RuleStatuses.Failed, (await h.Rules.GetStateAsync("a-touched", Ct)).LastRun?.Status);

        var ok = results[1];
        Assert.Equal(RuleStatuses.Ok, ok.Status);
        Assert.Empty(ok.Problems);
        Assert.Equal(Big, ok.Matched);
        Assert.True(ok.ValuesQueued > 0);

        var outbox = await OutboxAsync(h);
        Assert.NotEmpty(outbox);
        Assert.All(outbox, e => Assert.Equal("Contact", e.Object));
        Assert.All(outbox.SelectMany(e => e.Fields.Values), f => Assert.Equal("rules:b-big", f.Source));
        Assert.Equal(ok.ValuesQueued, outbox.Sum(e => e.Fields.Count));
        Assert.DoesNotContain(outbox, e => org.Leads.Contains(e.Id));
        Assert.Equal(Big, outbox.Count(e => e.Fields.TryGetValue("Sfc_Vip__c", out var flag) && flag.Value == "true"));
        Assert.All(outbox.Where(e => e.Fields["Sfc_Vip__c"].Value == "true"), e => Assert.Equal("big", e.Fields["Sfc_Vip_Reasons__c"].Value));
    }

    [Fact]
    public async Task Division_by_zero_counts_the_records_it_failed_on_and_they_do_not_match()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var saved = await SaveAsync(h, Rule("per-head", "Account", "rich-per-head", "AnnualRevenue / NumberOfEmployees > 1000"));

        var run = await h.Rules.RunAsync(saved, Ct);
        var preview = await h.Rules.PreviewAsync(new() { Draft = saved.Definition, Sample = 100 }, Ct);

        Assert.Equal(RuleStatuses.Ok, run.Status);
        Assert.Empty(run.Problems);
        Assert.Equal(Big + NoStaff + Unknown + Small, run.Records);
        // 1,000,000 / 500 matches; 1,000 / 5 does not; a blank head count gives a blank (no error); zero is an error.
        Assert.Equal(Big, run.Matched);
        Assert.Equal(NoStaff, run.RecordErrors);
        var since = (await h.Rules.GetStateAsync("per-head", Ct)).Since;
        Assert.Equal(Big, since.Count);
        Assert.DoesNotContain(since.Keys, org.ZeroAccounts.Contains);
        Assert.Equal(NoStaff, preview.RecordErrors);
        Assert.Equal(Big, preview.Matches);
        Assert.DoesNotContain(preview.Samples, s => org.ZeroAccounts.Contains(s.Id));
    }

    [Fact]
    public async Task Treating_blanks_as_zeroes_makes_blank_numbers_equal_to_zero()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var none = Rule("no-staff", "Account", "none", "NumberOfEmployees = 0");
        var few = Rule("few", "Account", "few", "NumberOfEmployees < 100");

        var blank = await h.Rules.PreviewAsync(new() { Draft = none }, Ct);
        var zero = await h.Rules.PreviewAsync(new() { Draft = none with { BlankAsZero = true } }, Ct);
        var fewBlank = await h.Rules.PreviewAsync(new() { Draft = few }, Ct);
        var fewZero = await h.Rules.PreviewAsync(new() { Draft = few with { BlankAsZero = true } }, Ct);

        Assert.Equal(NoStaff, blank.Matches);
        Assert.Equal(NoStaff + Unknown, zero.Matches);
        Assert.Equal(NoStaff + Small, fewBlank.Matches);
        Assert.Equal(NoStaff + Unknown + Small, fewZero.Matches);
    }

    [Fact]
    public async Task Org_changes_reach_the_projection_through_the_sync_without_reading_the_mirror_again()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var draft = Rule("big", "Contact", "big", "Account.NumberOfEmployees > 100") with { ExcludeOptedOut = false };
        var before = await h.Rules.PreviewAsync(new() { Draft = draft }, Ct);
        var loaded = h.Projection.RecordsLoaded;

        foreach (var account in org.SmallAccounts)
        {
            h.Org.Data.Update(account, new Dictionary<string, object?> { ["NumberOfEmployees"] = 250 });
        }

        h.Org.Data.Delete(org.Contacts[0]);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var after = await h.Rules.PreviewAsync(new() { Draft = draft }, Ct);

        Assert.True(loaded >= before.Records, $"loaded {loaded}");
        Assert.Equal(Big, before.Matches);
        Assert.Equal(Big + Small - 1, after.Matches);
        Assert.Equal(before.Records - 1, after.Records);
        Assert.Equal(loaded, h.Projection.RecordsLoaded);
    }

    [Fact]
    public async Task A_rule_on_an_object_named_in_lower_case_counts_and_excludes_like_the_canonical_name()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        h.Org.Data.Update(org.Leads[0], new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = true });
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var draft = Rule("leads", "Lead", "all", "NOT(ISBLANK(Email))");

        // The lower-case name first: it is the one that loads the projection's table.
        var lower = await h.Rules.PreviewAsync(new() { Draft = draft with { Object = "lead" } }, Ct);
        var canonical = await h.Rules.PreviewAsync(new() { Draft = draft }, Ct);

        Assert.Equal((6, 5), (canonical.Records, canonical.Matches));
        Assert.Equal(1, canonical.ExcludedByConsent);
        Assert.Equal((6, 5, 1), (lower.Records, lower.Matches, lower.ExcludedByConsent));
    }

    [Fact]
    public async Task A_preview_refuses_to_compare_with_a_saved_rule_on_another_object()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        await SaveAsync(h, Rule("vip", "Lead", "all", "NOT(ISBLANK(Email))"));
        await SaveAsync(h, Rule("accounts", "Account", "big", "NumberOfEmployees > 100"));

        // The saved "vip" (6 leads) has fewer rows than the draft's 50 contacts; "accounts" has as many, but other records.
        var byName = await Assert.ThrowsAsync<RuleException>(() => h.Rules.PreviewAsync(new() { Draft = Rule("vip", "Contact", "big", "Account.NumberOfEmployees > 100") }, Ct));
        var explicitly = await Assert.ThrowsAsync<RuleException>(() => h.Rules.PreviewAsync(new() { Draft = Rule("vip", "Contact", "big", "Account.NumberOfEmployees > 100"), Compare = "accounts" }, Ct));
        var sameObject = await h.Rules.PreviewAsync(new() { Draft = Rule("vip", "lead", "all", "TRUE") with { ExcludeOptedOut = false } }, Ct);

        var problem = Assert.Single(byName.Problems);
        Assert.Equal(("vip", "compare"), (problem.Rule, problem.Part));
        Assert.Contains("a rule on Lead", problem.Message, StringComparison.Ordinal);
        Assert.Equal("compare", Assert.Single(explicitly.Problems).Part);
        Assert.Equal((6, 6, 0), (sameObject.SavedMatches, sameObject.Matches, sameObject.Gained));
    }

    [Fact]
    public async Task A_roll_up_through_a_lookup_that_is_not_synced_is_refused()
    {
        await using var org = await OrgAsync();
        var h = org.H;

        // Task.WhatId exists in Salesforce (and is a lookup to Account) but the default sync does not mirror it.
        var (saved, problems) = await h.Rules.SaveRollupAsync(
            new RollupDefinition { Name = "Account_Tasks", Object = "Account", ChildObject = "Task", Relationship = "WhatId", Function = "COUNT" }, "test", Ct);

        Assert.Null(saved);
        var problem = Assert.Single(problems);
        Assert.Equal("roll-up Account_Tasks", problem.Part);
        Assert.Contains("Task.WhatId is not synced", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Sync:Objects", problem.Message, StringComparison.Ordinal);
    }
}
