using System.Globalization;
using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.Rules;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rules;
using SfCompanion.Sync;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// The rules pages in Chromium on the VIP org (docs/rules.md): the live match count while a criterion is typed, errors
/// at their position, preview without JavaScript, save by admins only, versions, accessibility in both languages.
/// </summary>
public sealed class RulesConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>A host on the VIP org, synced, its roll-ups saved and a "vip" rule of one criterion (client) saved.</summary>
    private static async Task<SfcTestHost> HostAsync()
    {
        var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        VipScenario.Insert(host.Emulator, DateOnly.FromDateTime(DateTime.UtcNow));
        await host.Get<SyncService>().SyncAllAsync(cancellationToken: Ct);
        var rules = host.Get<RulesService>();
        foreach (var rollup in VipScenario.Rollups)
        {
            var (saved, problems) = await rules.SaveRollupAsync(rollup, "setup", Ct);
            Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
        }

        var (rule, ruleProblems) = await rules.SaveRuleAsync(VipScenario.Draft(VipScenario.Client), "setup", Ct);
        Assert.True(rule is not null, string.Join(Environment.NewLine, ruleProblems));
        return host;
    }

    private static async Task<int> MatchesAsync(SfcTestHost host, RuleDefinition draft) =>
        (await host.Get<RulesService>().PreviewAsync(new RulePreviewRequest { Draft = draft }, Ct)).Matches;

    [Fact]
    public async Task Typing_a_criterion_updates_the_live_count_to_what_the_rules_service_counts()
    {
        await using var host = await HostAsync();
        var before = await MatchesAsync(host, VipScenario.Draft(VipScenario.Client));
        var after = await MatchesAsync(host, VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner));
        Assert.NotEqual(before, after);
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, marketerKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            Assert.Equal("Account.Won > 0", await page.Locator("#criterion-0-formula").InputValueAsync());
            await page.Locator(".formula-editor.highlighted .t-field").First.WaitForAsync();

            // A first edit (a space) previews the saved criteria; then the second criterion typed in the empty row.
            await page.Locator("#criterion-0-formula").PressSequentiallyAsync(" ");
            await Assertions.Expect(page.Locator("#live-matches")).ToHaveTextAsync(before.ToString("N0", English), new() { Timeout = 30_000 });
            await page.Locator("#criterion-1-name").FillAsync(VipScenario.NotPartner.Name);
            var response = await page.RunAndWaitForResponseAsync(
                () => page.Locator("#criterion-1-formula").FillAsync(VipScenario.NotPartner.Formula),
                r => r.Url.EndsWith("/console/api/rules/preview", StringComparison.Ordinal) && r.Request.PostData!.Contains("NOT(", StringComparison.Ordinal));
            Assert.True(response.Status == 200, $"{response.Status}: {await response.TextAsync()}");
            await Assertions.Expect(page.Locator("#live-matches")).ToHaveTextAsync(after.ToString("N0", English), new() { Timeout = 30_000 });
            Assert.Equal("polite", await page.Locator("#live-count").GetAttributeAsync("aria-live"));

            // The preview fragment came with it: gained/lost against the saved rule and the chart by criterion.
            Assert.Equal(after.ToString("N0", English), await page.Locator("#preview-matches").InnerTextAsync());
            Assert.Equal("−" + (before - after).ToString("N0", English), await page.Locator("#preview-lost").InnerTextAsync());
            Assert.Contains("not-partner", await page.Locator("#chart-criteria desc").TextContentAsync() ?? "", StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#save-button").CountAsync());
        });
    }

    [Fact]
    public async Task An_error_in_a_formula_shows_its_message_at_its_line_and_column()
    {
        await using var host = await HostAsync();
        const string broken = "Account.Won > 0 &&\n  Account.Wonn > 10";
        var problem = Assert.Single((await Assert.ThrowsAsync<RuleException>(() =>
            host.Get<RulesService>().PreviewAsync(new RulePreviewRequest { Draft = VipScenario.Draft(VipScenario.Client with { Formula = broken }) }, Ct))).Problems);
        Assert.Equal(2, problem.Line);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            await page.Locator(".formula-editor.highlighted").First.WaitForAsync();
            var response = await page.RunAndWaitForResponseAsync(
                () => page.Locator("#criterion-0-formula").FillAsync(broken),
                r => r.Url.EndsWith("/console/api/rules/preview", StringComparison.Ordinal));
            Assert.True(response.Status == 400, $"{response.Status}: {await response.TextAsync()}");

            var errors = page.Locator("#criterion-0-formula-errors li");
            await Assertions.Expect(errors).ToHaveTextAsync($"Line {problem.Line}, column {problem.Column}: {problem.Message}", new() { Timeout = 30_000 });
            Assert.Equal("true", await page.Locator("#criterion-0-formula").GetAttributeAsync("aria-invalid"));
            Assert.Contains("Wonn", await page.Locator(".formula-editor mark.formula-error").First.InnerTextAsync(), StringComparison.Ordinal);

            // The same problem from the server when the Preview button is pressed.
            await page.Locator("#preview-button").ClickAsync();
            Assert.Contains($"line {problem.Line}, column {problem.Column}", await page.Locator("#rule-problems").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal($"Line {problem.Line}, column {problem.Column}: {problem.Message}", await page.Locator("#criterion-0-formula-errors li").InnerTextAsync());
        });
    }

    [Fact]
    public async Task Without_javascript_the_preview_button_shows_the_same_figures_and_an_admin_saves_a_version()
    {
        await using var host = await HostAsync();
        var expected = await MatchesAsync(host, VipScenario.Draft(VipScenario.Client, VipScenario.NotPartner));
        var context = await chromium.Require().NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            await page.Locator("#criterion-1-name").FillAsync(VipScenario.NotPartner.Name);
            await page.Locator("#criterion-1-formula").FillAsync(VipScenario.NotPartner.Formula);
            await page.Locator("#preview-button").ClickAsync();
            Assert.Equal(expected.ToString("N0", English), await page.Locator("#preview-matches").InnerTextAsync());
            Assert.Equal(expected.ToString("N0", English), await page.Locator("#live-matches").InnerTextAsync());

            await page.Locator("#save-button").ClickAsync();
            await page.Locator("#saved-notice").WaitForAsync();
            var saved = (await host.Get<RulesService>().Rules.GetAsync("vip", Ct))!;
            Assert.Equal(2, saved.Version);
            Assert.Equal(["client", "not-partner"], saved.Definition.Criteria.Select(c => c.Name));
            Assert.NotEqual("setup", saved.ChangedBy);
            Assert.Contains(saved.ChangedBy, await page.Locator("#versions-table").InnerTextAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Link, new() { Name = "View version 1" }).ClickAsync();
            await page.Locator("#version-notice").WaitForAsync();
            Assert.Equal(string.Empty, await page.Locator("#criterion-1-formula").InputValueAsync());
        });
    }

    [Fact]
    public async Task A_marketer_previews_but_posting_save_directly_is_refused_and_a_viewer_may_not_preview()
    {
        await using var host = await HostAsync();
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = "vip", ["Form.Object"] = "Contact", ["Form.Enabled"] = "true",
            ["Form.Criteria[0].Name"] = "client", ["Form.Criteria[0].Formula"] = "Account.Won > 1",
        };
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, marketerKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            var preview = await PostFormAsync(page, "/console/rules/vip", "rule", new Dictionary<string, string>(fields) { ["Form.Action"] = "preview" });
            Assert.Equal(200, preview.Status);
            Assert.Contains("preview-matches", await preview.TextAsync(), StringComparison.Ordinal);

            var save = await PostFormAsync(page, "/console/rules/vip", "rule", new Dictionary<string, string>(fields) { ["Form.Action"] = "save" });
            Assert.Equal(403, save.Status);
            Assert.Single(await host.Get<RulesService>().Rules.HistoryAsync("vip", Ct));
            var run = await PostFormAsync(page, "/console/rules/vip", "run-rule", new Dictionary<string, string> { ["RunName"] = "vip" });
            Assert.Equal(403, run.Status);
            Assert.Null((await host.Get<RulesService>().GetStateAsync("vip", Ct)).LastRunAt);
        });

        var viewer = await OpenAsync(chromium);
        await WithScreenshotAsync(viewer, async () =>
        {
            await SignInWithKeyAsync(viewer, host, viewerKey);
            await viewer.GotoAsync(host.BaseUrl + "/console/rules/vip");
            Assert.Equal(0, await viewer.Locator("#preview-button").CountAsync());
            Assert.Equal("", await viewer.Locator("#criterion-0-formula").GetAttributeAsync("readonly"));
            var preview = await PostFormAsync(viewer, "/console/rules/vip", "rule", new Dictionary<string, string>(fields) { ["Form.Action"] = "preview" });
            Assert.Equal(403, preview.Status);
            var token = await viewer.Locator("meta[name=sfc-antiforgery]").GetAttributeAsync("content");
            var live = await viewer.Context.APIRequest.PostAsync(host.BaseUrl + "/console/api/rules/preview", new()
            {
                DataObject = new { @object = "Contact", criteria = new[] { new { name = "client", formula = "Account.Won > 0" } } },
                Headers = new Dictionary<string, string> { ["X-Sfc-Antiforgery"] = token ?? "" },
            });
            Assert.Equal(403, live.Status);
        });
    }

    [Fact]
    public async Task An_admin_deletes_a_rule_after_typing_its_name_and_saving_it_again_brings_it_back()
    {
        await using var host = await HostAsync();
        var rules = host.Get<RulesService>();
        var page = await OpenAsync(chromium, "fr-FR");
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            var empty = await PostFormAsync(page, "/console/rules/vip", "delete", new Dictionary<string, string> { ["ConfirmName"] = " " });
            Assert.Equal(400, empty.Status);
            Assert.Contains("id=\"delete-error\"", await empty.TextAsync(), StringComparison.Ordinal);
            Assert.NotNull(await rules.Rules.GetAsync("vip", Ct));

            await page.Locator("#delete-confirm").FillAsync("vip");
            await page.Locator("#delete-button").ClickAsync();
            await Assertions.Expect(page.Locator("#deleted-notice")).ToContainTextAsync("Règle supprimée : vip");
            Assert.Null(await rules.Rules.GetAsync("vip", Ct));
            Assert.Equal(0, await page.Locator("#rules-table").CountAsync());

            // Its page still shows the last version, marked deleted; saving brings the rule back as a new version.
            await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
            Assert.Contains("supprimée", await page.Locator("#versions-table tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#delete-button").CountAsync());
            await page.Locator("#save-button").ClickAsync();
            await Assertions.Expect(page.Locator("#saved-notice")).ToBeVisibleAsync();
            Assert.Equal(3, (await rules.Rules.GetAsync("vip", Ct))!.Version);
        });
    }

    [Fact]
    public async Task An_admin_creates_changes_and_deletes_a_roll_up_in_the_console_and_a_marketer_cannot_save_one()
    {
        await using var host = await HostAsync();
        var rules = host.Get<RulesService>();
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/rules");
            await page.Locator("#new-rollup").ClickAsync();
            await page.Locator("#rollup-name").FillAsync("Won_Deals");
            await page.Locator("#rollup-function").SelectOptionAsync("COUNT");
            await page.Locator("#rollup-field").FillAsync("Amont");
            await page.Locator("#save-button").ClickAsync();
            // A field that does not exist: the problem is shown and nothing is saved.
            await Assertions.Expect(page.Locator("#rollup-problems")).ToContainTextAsync("Amont");
            Assert.Null(await rules.Rollups.GetAsync("Won_Deals", Ct));

            await page.Locator("#rollup-field").FillAsync("");
            await page.Locator("#save-button").ClickAsync();
            await Assertions.Expect(page.Locator("#saved-notice")).ToContainTextAsync("Saved as version 1");
            var saved = (await rules.Rollups.GetAsync("Won_Deals", Ct))!;
            Assert.Equal(("Account", "Opportunity", "AccountId", "COUNT", null, "IsWon"),
                (saved.Definition.Object, saved.Definition.ChildObject, saved.Definition.Relationship, saved.Definition.Function, saved.Definition.Field, saved.Definition.Filter));
            // A rule can use it at once.
            Assert.Equal(VipScenario.Clients, await MatchesAsync(host, VipScenario.Draft(new CriterionDefinition { Name = "deals", Formula = "Account.Won_Deals > 0" })));

            await page.Locator("#rollup-filter").FillAsync("IsWon && Amount > 0");
            await page.Locator("#save-button").ClickAsync();
            await Assertions.Expect(page.Locator("#saved-notice")).ToContainTextAsync("Saved as version 2");
            Assert.Equal(2, await page.Locator("#versions-table tbody tr").CountAsync());
            await AssertAccessibleAsync(page);

            await page.Locator("#delete-confirm").FillAsync("Won_Deals");
            await page.Locator("#delete-button").ClickAsync();
            await Assertions.Expect(page.Locator("#deleted-rollup-notice")).ToContainTextAsync("Roll-up deleted: Won_Deals");
            Assert.Null(await rules.Rollups.GetAsync("Won_Deals", Ct));
        });

        var marketer = await OpenAsync(chromium);
        await WithScreenshotAsync(marketer, async () =>
        {
            await SignInWithKeyAsync(marketer, host, marketerKey);
            await marketer.GotoAsync(host.BaseUrl + "/console/rules/rollups/Won");
            Assert.Equal(0, await marketer.Locator("#save-button").CountAsync());
            Assert.Equal("", await marketer.Locator("#rollup-filter").GetAttributeAsync("readonly"));
            var post = await PostFormAsync(marketer, "/console/rules/rollups/Won", "rollup", new Dictionary<string, string>
            {
                ["Rollup.Name"] = "Won", ["Rollup.Object"] = "Account", ["Rollup.ChildObject"] = "Opportunity", ["Rollup.Relationship"] = "AccountId", ["Rollup.Function"] = "COUNT",
            });
            Assert.Equal(403, post.Status);
            Assert.Equal(1, (await rules.Rollups.GetAsync("Won", Ct))!.Version);
        });
    }

    [Fact]
    public async Task Rules_pages_pass_axe_in_english_and_french()
    {
        await using var host = await HostAsync();
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/rules");
                Assert.Contains("vip", await page.Locator("#rules-table").InnerTextAsync(), StringComparison.Ordinal);
                Assert.Contains("Won", await page.Locator("#rollups-table").InnerTextAsync(), StringComparison.Ordinal);
                await AssertAccessibleAsync(page);

                await page.GotoAsync(host.BaseUrl + "/console/rules/vip");
                await page.Locator("#preview-button").ClickAsync();
                await page.Locator("#preview-matches").WaitForAsync();
                await AssertAccessibleAsync(page);

                await page.GotoAsync(host.BaseUrl + "/console/rules/new");
                await AssertAccessibleAsync(page);

                await page.GotoAsync(host.BaseUrl + "/console/rules/rollups/Last_Touch");
                Assert.Equal("WhoId", await page.Locator("#rollup-relationship").InputValueAsync());
                await AssertAccessibleAsync(page);
                await page.GotoAsync(host.BaseUrl + "/console/rules/rollups/new");
                await AssertAccessibleAsync(page);
            });
        }
    }
}
