using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rules;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Rules;

/// <summary>
/// <c>/api/rules</c> and <c>/api/rollups</c> over HTTP on the VIP org: who may do what, versions, problems with their
/// positions, what-ifs, deletion and runs.
/// </summary>
public sealed class RulesApiTests
{
    private const string AdminName = "Camille (admin)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RuleDefinition NotPartners = VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner);

    /// <summary>A host on the VIP org, synced, with its roll-ups saved; and an admin key of its own name.</summary>
    private static async Task<(SfcTestHost Host, HttpClient Admin)> HostAsync()
    {
        var host = await new SfcTestHost().WithEmulator().StartAsync();
        VipScenario.Insert(host.Emulator, DateOnly.FromDateTime(DateTime.UtcNow));
        await host.Get<SyncService>().SyncAllAsync(cancellationToken: Ct);
        foreach (var rollup in VipScenario.Rollups)
        {
            var (saved, problems) = await host.Get<RulesService>().SaveRollupAsync(rollup, "setup", Ct);
            Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
        }

        var created = await host.Admin.PostAsJsonAsync("/api/keys", new { name = AdminName, role = SfcRoles.Admin }, Ct);
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<AdminApi.CreatedApiKeyView>(Ct))!.Key;
        return (host, host.ClientWithKey(key));
    }

    private static async Task<Versioned<T>> OkAsync<T>(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<Versioned<T>>(Ct))!;
    }

    private sealed record Problem(string Rule, string Part, string Message, int? Line, int? Column);

    /// <summary>A 400 problem+json and its problems, each with every property present.</summary>
    private static async Task<List<Problem>> ProblemsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        var problems = json.RootElement.GetProperty("problems");
        Assert.NotEqual(0, problems.GetArrayLength());
        foreach (var problem in problems.EnumerateArray())
        {
            Assert.Equal(["column", "line", "message", "part", "rule"], problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("detail").GetString()));
        return problems.Deserialize<List<Problem>>(JsonSerializerOptions.Web)!;
    }

    [Fact]
    public async Task Viewers_read_marketers_preview_and_only_admins_save_delete_and_run()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        var viewer = await host.ClientAsync(SfcRoles.Viewer);
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var rule = NotPartners with { DryRun = true };
        var preview = new RulePreviewRequest { Draft = rule };

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/rules", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rules", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rollups", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/rules/preview", preview, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/rules/vip", rule, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.PostAsJsonAsync("/api/rules/preview", preview, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PutAsJsonAsync("/api/rules/vip", rule, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PutAsJsonAsync("/api/rollups/Won", VipScenario.Rollups[0], Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/rules/vip", Ct)).StatusCode);

        Assert.Equal(1, (await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", rule, Ct))).Version);

        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PostAsync("/api/rules/vip/run", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/rules/vip/run", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.DeleteAsync("/api/rules/vip", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rules/vip", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rules/vip/versions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/rules/vip/versions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/rules/vip/versions/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/rules/vip/run", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PostAsync("/api/rules/vip/run", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Saving_again_makes_a_new_version_and_every_version_stays_readable_with_who_saved_it()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        var wins = new RollupDefinition { Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "IsWon" };
        var first = new RuleDefinition { Object = "Contact", Criteria = [new() { Name = "won-twice", Formula = "Account.Wins >= 2" }], Targets = new() { Flag = "Sfc_Vip__c" }, DryRun = true };
        var second = first with { Criteria = [.. first.Criteria, VipScenario.NotPartner], Description = "without partners" };

        var rollup = await OkAsync<RollupDefinition>(await admin.PutAsJsonAsync("/api/rollups/Wins", wins, Ct));
        var v1 = await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", first, Ct));
        var v2 = await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", second, Ct));
        var history = (await admin.GetFromJsonAsync<List<Versioned<RuleDefinition>>>("/api/rules/vip/versions", Ct))!;
        var old = (await admin.GetFromJsonAsync<Versioned<RuleDefinition>>("/api/rules/vip/versions/1", Ct))!;
        var current = (await admin.GetFromJsonAsync<Versioned<RuleDefinition>>("/api/rules/vip", Ct))!;
        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/rules", Ct));

        Assert.Equal((1, "Wins", AdminName), (rollup.Version, rollup.Name, rollup.ChangedBy));
        Assert.Equal("Wins", rollup.Definition.Name);
        Assert.Equal((1, "vip", AdminName), (v1.Version, v1.Name, v1.ChangedBy));
        Assert.Equal(2, v2.Version);
        Assert.Equal([2, 1], history.Select(v => v.Version));
        Assert.All(history, v => Assert.Equal(AdminName, v.ChangedBy));
        Assert.All(history, v => Assert.False(v.Deleted));
        Assert.Equal(["won-twice"], old.Definition.Criteria.Select(c => c.Name));
        Assert.Null(old.Definition.Description);
        Assert.Equal(["won-twice", "not-partner"], current.Definition.Criteria.Select(c => c.Name));
        Assert.Equal((2, "without partners"), (current.Version, current.Definition.Description));
        var listed = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal(("vip", 2), (listed.GetProperty("name").GetString(), listed.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rules/vip/versions/3", Ct)).StatusCode);
        Assert.Single((await admin.GetFromJsonAsync<List<Versioned<RollupDefinition>>>("/api/rollups/Wins/versions", Ct))!);
    }

    [Fact]
    public async Task An_invalid_rule_answers_400_with_each_problem_its_part_and_position_and_nothing_is_saved()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        async Task<Problem> PutAsync(RuleDefinition rule) => Assert.Single(await ProblemsAsync(await admin.PutAsJsonAsync("/api/rules/broken", rule, Ct)));
        RuleDefinition With(string formula) => new() { Object = "Contact", Criteria = [new() { Name = "client", Formula = formula }] };

        var unknownResponse = await admin.PutAsJsonAsync("/api/rules/broken", With("Account.Won > 0 && Foo__c = 1"), Ct);
        var unknown = Assert.Single(await ProblemsAsync(unknownResponse));
        using var unknownBody = JsonDocument.Parse(await unknownResponse.Content.ReadAsStringAsync(Ct));
        var multiline = await PutAsync(With("Account.Won > 0\n  && Account.Bar__c"));
        var type = await PutAsync(With("IF(FirstName, 1, 2) > 0"));
        var notSynced = await PutAsync(With("Account.Won > 0 && Sfc_Score__c > 10"));
        var missingTarget = await PutAsync(With("Account.Won > 0") with { Targets = new() { Flag = "Sfc_Gold__c" } });
        var wrongTarget = await PutAsync(With("Account.Won > 0") with { Targets = new() { Flag = "Email" } });
        var unknownObject = await PutAsync(With("Account.Won > 0") with { Object = "Prospect__c" });
        var combine = await PutAsync(With("Account.Won > 0") with { Combine = "client || partner" });
        var recursive = await ProblemsAsync(await admin.PutAsJsonAsync("/api/rollups/Loop",
            new RollupDefinition { Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "IsWon && Account.Loop = 0" }, Ct));
        var draftRecursion = await ProblemsAsync(await admin.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest
        {
            Draft = With("Account.Loop > 0") with { Name = "broken" },
            Rollups = [new() { Name = "Loop", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "Account.Loop < 1000" }],
        }, Ct));

        Assert.Equal(new Problem("broken", "criterion client", "Error: Field Foo__c does not exist. Check spelling.", 1, 20), unknown);
        Assert.Equal("broken / criterion client: Error: Field Foo__c does not exist. Check spelling. (line 1, column 20)", unknownBody.RootElement.GetProperty("detail").GetString());
        Assert.Equal(("criterion client", 2, 6), (multiline.Part, multiline.Line, multiline.Column));
        Assert.Contains("Field Account.Bar__c does not exist", multiline.Message, StringComparison.Ordinal);
        Assert.Equal(("broken", "criterion client", 1), (type.Rule, type.Part, type.Line));
        Assert.StartsWith("Error: Incorrect parameter type for function 'IF()'. Expected Boolean, received Text", type.Message, StringComparison.Ordinal);
        Assert.Equal(4, type.Column);
        Assert.Equal(("criterion client", 1, 20), (notSynced.Part, notSynced.Line, notSynced.Column));
        Assert.Contains("Contact.Sfc_Score__c is not synced", notSynced.Message, StringComparison.Ordinal);
        Assert.Contains("Sync:Objects", notSynced.Message, StringComparison.Ordinal);
        Assert.Equal(("broken", "targets.flag", null, null), (missingTarget.Rule, missingTarget.Part, missingTarget.Line, missingTarget.Column));
        Assert.Contains("targets.flag = 'Sfc_Gold__c': no such field on Contact", missingTarget.Message, StringComparison.Ordinal);
        Assert.Equal("targets.flag", wrongTarget.Part);
        Assert.Contains("Contact.Email is a email field; expected boolean", wrongTarget.Message, StringComparison.Ordinal);
        Assert.Equal("object", unknownObject.Part);
        Assert.Contains("object = 'Prospect__c'", unknownObject.Message, StringComparison.Ordinal);
        Assert.Equal(("combine", 1, 11), (combine.Part, combine.Line, combine.Column));
        Assert.Contains("Field partner does not exist", combine.Message, StringComparison.Ordinal);
        var loop = Assert.Single(recursive);
        Assert.Equal("roll-up Loop", loop.Part);
        Assert.Contains("Roll-up Loop is used in its own definition (Loop → Loop)", loop.Message, StringComparison.Ordinal);
        var draftLoop = Assert.Single(draftRecursion);
        Assert.Equal(("broken", "roll-up Loop"), (draftLoop.Rule, draftLoop.Part));
        Assert.Contains("is used in its own definition", draftLoop.Message, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rules/broken", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rules/broken/versions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rollups/Loop", Ct)).StatusCode);
    }

    [Fact]
    public async Task Every_shape_problem_of_a_rule_is_reported_in_one_answer()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;

        var problems = await ProblemsAsync(await admin.PutAsJsonAsync("/api/rules/Broken_Rule", new RuleDefinition
        {
            Object = "Contact",
            Criteria = [new() { Name = "client", Formula = "Account.Won > 0" }, new() { Name = "Client", Formula = " " }],
            Targets = new() { Flag = "Sfc_Vip_Since__c", Reasons = "Sfc_Nope__c" },
        }, Ct));

        Assert.Equal(["criterion Client", "criterion client", "name", "targets.flag", "targets.reasons"], problems.Select(p => p.Part).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal("Broken_Rule", p.Rule));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rules/Broken_Rule", Ct)).StatusCode);

        // Explicit nulls are read as "none", not as a server error.
        using var nulls = new StringContent("""{ "object": "Contact", "criteria": null, "targets": null }""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal("criteria", Assert.Single(await ProblemsAsync(await admin.PutAsync("/api/rules/vip", nulls, Ct))).Part);
        using var draft = new StringContent("""{ "draft": { "object": "Contact", "criteria": null, "targets": null } }""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal("criteria", Assert.Single(await ProblemsAsync(await admin.PostAsync("/api/rules/preview", draft, Ct))).Part);
    }

    [Fact]
    public async Task A_preview_counts_gained_and_lost_against_the_saved_rule_and_a_deleted_rule_keeps_its_versions()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        var marketer = await host.ClientAsync(SfcRoles.Marketer);

        var fresh = await marketer.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest { Draft = NotPartners, BreakdownBy = "TEXT(Account.Type)", Sample = 3 }, Ct);
        await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", VipScenario.Draft(VipScenario.Client), Ct));
        var against = await marketer.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest { Draft = NotPartners, Sample = 0 }, Ct);
        var unknownCompare = await marketer.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest { Draft = NotPartners, Compare = "gold" }, Ct);
        var badBreakdown = await marketer.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest { Draft = NotPartners, BreakdownBy = "Account.Nope__c" }, Ct);

        var first = (await fresh.Content.ReadFromJsonAsync<RulePreview>(Ct))!;
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal((1_300, VipScenario.NotPartners, VipScenario.NotPartners, 0), (first.Records, first.Matches, first.Gained, first.Lost));
        Assert.Null(first.SavedMatches);
        Assert.Equal(["Customer - Channel", "Customer - Direct"], first.Breakdown.Select(b => b.Value).Order(StringComparer.Ordinal));
        Assert.Equal(VipScenario.NotPartners, first.Breakdown.Sum(b => b.Count));
        Assert.Equal(3, first.Samples.Count);
        Assert.All(first.Samples, s => Assert.Equal("client; not-partner", s.Reasons));
        Assert.All(first.Samples, s => Assert.StartsWith("Camille Martin ", s.Name, StringComparison.Ordinal));
        var second = (await against.Content.ReadFromJsonAsync<RulePreview>(Ct))!;
        Assert.Equal((VipScenario.Clients, VipScenario.NotPartners, 0, VipScenario.Clients - VipScenario.NotPartners), (second.SavedMatches, second.Matches, second.Gained, second.Lost));
        Assert.Empty(second.Samples);
        Assert.Empty(second.Breakdown);
        Assert.Equal("compare", Assert.Single(await ProblemsAsync(unknownCompare)).Part);
        Assert.Equal("breakdownBy", Assert.Single(await ProblemsAsync(badBreakdown)).Part);

        var deleted = await admin.DeleteAsync("/api/rules/vip", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rules/vip", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/rules/vip", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/rules/vip/run", null, Ct)).StatusCode);
        var history = (await admin.GetFromJsonAsync<List<Versioned<RuleDefinition>>>("/api/rules/vip/versions", Ct))!;
        Assert.Equal([(2, true), (1, false)], history.Select(v => (v.Version, v.Deleted)));
        Assert.Equal(["client"], (await admin.GetFromJsonAsync<Versioned<RuleDefinition>>("/api/rules/vip/versions/1", Ct))!.Definition.Criteria.Select(c => c.Name));
        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/rules", Ct));
        Assert.Equal(0, list.RootElement.GetArrayLength());
        // Without a saved rule to compare with, everything is gained again.
        var afterDelete = (await (await marketer.PostAsJsonAsync("/api/rules/preview", new RulePreviewRequest { Draft = NotPartners }, Ct)).Content.ReadFromJsonAsync<RulePreview>(Ct))!;
        Assert.Equal((null, VipScenario.NotPartners), (afterDelete.SavedMatches, afterDelete.Gained));

        // Saved again, it comes back as the next version; the earlier ones are untouched.
        Assert.Equal(3, (await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", NotPartners, Ct))).Version);
        history = (await admin.GetFromJsonAsync<List<Versioned<RuleDefinition>>>("/api/rules/vip/versions", Ct))!;
        Assert.Equal([(3, false), (2, true), (1, false)], history.Select(v => (v.Version, v.Deleted)));
        Assert.Equal(["client"], (await admin.GetFromJsonAsync<Versioned<RuleDefinition>>("/api/rules/vip/versions/1", Ct))!.Definition.Criteria.Select(c => c.Name));
    }

    [Fact]
    public async Task Running_a_dry_run_rule_computes_it_and_queues_nothing()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        var rule = NotPartners with { DryRun = true, Targets = new() { Flag = "Sfc_Vip__c", Reasons = "Sfc_Vip_Reasons__c" } };
        await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip", rule, Ct));

        var response = await admin.PostAsync("/api/rules/vip/run", null, Ct);
        var result = (await response.Content.ReadFromJsonAsync<RuleRunResult>(Ct))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("vip", 1, RuleStatuses.DryRun), (result.Rule, result.Version, result.Status));
        Assert.Equal((VipScenario.NotPartners, VipScenario.NotPartners, 0), (result.Matched, result.Gained, result.ValuesQueued));
        Assert.Equal(0, await host.Get<Outbox>().CountAsync(Ct));
        using var list = JsonDocument.Parse(await admin.GetStringAsync("/api/rules", Ct));
        var lastRun = Assert.Single(list.RootElement.EnumerateArray()).GetProperty("lastRun");
        Assert.Equal(RuleStatuses.DryRun, lastRun.GetProperty("status").GetString());
        Assert.Equal(VipScenario.NotPartners, lastRun.GetProperty("matched").GetInt32());
    }

    [Fact]
    public async Task Running_a_rule_that_fails_answers_400_with_its_problems_and_queues_nothing()
    {
        var (host, admin) = await HostAsync();
        await using var _ = host;
        using var __ = admin;
        var wins = new RollupDefinition { Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "IsWon" };
        await OkAsync<RollupDefinition>(await admin.PutAsJsonAsync("/api/rollups/Wins", wins, Ct));
        await OkAsync<RuleDefinition>(await admin.PutAsJsonAsync("/api/rules/vip",
            new RuleDefinition { Object = "Contact", Criteria = [new() { Name = "won", Formula = "Account.Wins > 0" }], Targets = new() { Flag = "Sfc_Vip__c" } }, Ct));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/rollups/Wins", Ct)).StatusCode);

        var problem = Assert.Single(await ProblemsAsync(await admin.PostAsync("/api/rules/vip/run", null, Ct)));

        Assert.Equal(("vip", "criterion won", 1, 1), (problem.Rule, problem.Part, problem.Line, problem.Column));
        Assert.Contains("Field Account.Wins does not exist", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.Get<Outbox>().CountAsync(Ct));
        Assert.Equal(RuleStatuses.Failed, (await host.Get<RulesService>().GetStateAsync("vip", Ct)).LastRun?.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/rollups/Wins", Ct)).StatusCode);
        Assert.Equal(2, (await admin.GetFromJsonAsync<List<Versioned<RollupDefinition>>>("/api/rollups/Wins/versions", Ct))!.Count);
    }
}
