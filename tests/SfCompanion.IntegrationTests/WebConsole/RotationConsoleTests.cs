using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rotation;
using SfCompanion.Storage;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The rotation pages in Chromium: reps, leave and open assignments, the fairness chart against the audit log, preview and run, leave set by an admin, roles, accessibility.</summary>
public sealed class RotationConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private const string PoolPath = "/console/rotation/" + ScoredOrg.Pool;

    [Fact]
    public async Task The_pool_page_shows_reps_on_leave_open_assignments_and_the_fairness_chart_counts_the_audit()
    {
        var org = await ScoredOrg.StartAsync(runRound: true);
        await using var host = org.Host;
        var state = await host.Get<RotationService>().GetStateAsync(ScoredOrg.Pool, Ct);
        var log = await host.Get<ILogStore>().ReadAsync(RotationService.AuditLog, 0, 1000, Ct);
        var entries = log.Count;
        var audit = log
            .Select(e => JsonSerializer.Deserialize<RotationEvent>(e.Payload, JsonSerializerOptions.Web)!).Where(e => e.Action == "assign").ToList();
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, viewerKey);
            await page.GotoAsync(host.BaseUrl + PoolPath);
            var leave = await page.Locator("#reps-table tbody tr").Nth(3).InnerTextAsync();
            Assert.Contains("denis", leave, StringComparison.Ordinal);
            Assert.Contains("on leave", leave, StringComparison.Ordinal);
            var alice = await page.Locator("#reps-table tbody tr").Nth(0).InnerTextAsync();
            Assert.Contains("alice", alice, StringComparison.Ordinal);
            Assert.Equal(state.Open.Values.Count(a => a.Rep == org.A).ToString("N0", English), await page.Locator("#reps-table tbody tr").Nth(0).Locator("td").Nth(5).InnerTextAsync());

            var rows = page.Locator("#chart-fairness table tbody tr");
            Assert.Equal(8, await rows.CountAsync());
            foreach (var (rep, index) in new[] { (org.A, 0), (org.B, 1), (org.C, 2), (org.OnLeave, 3) })
            {
                Assert.Equal(audit.Count(e => e.To == rep).ToString("N0", English), (await rows.Nth(index * 2).Locator("td").Nth(1).TextContentAsync())?.Trim());
            }

            Assert.Equal(0, await page.Locator("#preview-button").CountAsync());
            Assert.Equal(0, await page.Locator("#save-reps").CountAsync());

            await page.GotoAsync(host.BaseUrl + "/console/rotation");
            Assert.Contains(ScoredOrg.Pool, await page.Locator("#pools-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(Math.Min(50, entries), await page.Locator("#audit-table tbody tr").CountAsync());
        });
    }

    [Fact]
    public async Task A_marketer_previews_a_round_but_may_not_run_it_a_viewer_may_not_save_and_an_admin_puts_a_rep_on_leave()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var rotation = host.Get<RotationService>();
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);

        var viewer = await OpenAsync(chromium);
        await WithScreenshotAsync(viewer, async () =>
        {
            await SignInWithKeyAsync(viewer, host, viewerKey);
            await viewer.GotoAsync(host.BaseUrl + PoolPath);
            Assert.Equal(403, (await PostFormAsync(viewer, PoolPath, "save-reps", new Dictionary<string, string> { ["Reps.Reps[0].UserId"] = org.A, ["Reps.Reps[0].OnLeave"] = "true" })).Status);
            Assert.Equal(403, (await PostFormAsync(viewer, PoolPath, "round", new Dictionary<string, string> { ["RoundAction"] = "preview" })).Status);
            Assert.Single(await rotation.Pools.HistoryAsync(ScoredOrg.Pool, Ct));
        });

        var marketer = await OpenAsync(chromium);
        await WithScreenshotAsync(marketer, async () =>
        {
            await SignInWithKeyAsync(marketer, host, marketerKey);
            await marketer.GotoAsync(host.BaseUrl + PoolPath);
            var expected = await rotation.PreviewAsync(new RotationPreviewRequest { Pool = ScoredOrg.Pool }, Ct);
            await marketer.Locator("#preview-button").ClickAsync();
            Assert.Equal(expected.Assigned.ToString("N0", English), await marketer.Locator("#round-assigned").InnerTextAsync());
            Assert.Contains("on leave", await marketer.Locator("#round-skipped").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await marketer.Locator("#run-button").CountAsync());
            Assert.Equal(403, (await PostFormAsync(marketer, PoolPath, "round", new Dictionary<string, string> { ["RoundAction"] = "run" })).Status);
            Assert.Empty((await rotation.GetStateAsync(ScoredOrg.Pool, Ct)).Open);
        });

        var admin = await OpenAsync(chromium);
        await WithScreenshotAsync(admin, async () =>
        {
            await SignInWithKeyAsync(admin, host, SfcTestHost.AdminKey);
            await admin.GotoAsync(host.BaseUrl + PoolPath);
            await admin.Locator("input[name='Reps.Reps[1].OnLeave']").CheckAsync();
            await admin.Locator("#save-reps").ClickAsync();
            await admin.Locator("#action-notice").WaitForAsync();
            var saved = (await rotation.Pools.GetAsync(ScoredOrg.Pool, Ct))!;
            Assert.Equal(2, saved.Version);
            Assert.True(saved.Definition.Reps.Single(r => r.UserId == org.B).OnLeave);
            Assert.Equal(5, saved.Definition.Reps.Single(r => r.UserId == org.C).DailyCap);

            admin.Dialog += (_, dialog) => dialog.AcceptAsync();
            await admin.Locator("#run-button").ClickAsync();
            await admin.Locator("#round-assigned").WaitForAsync();
            var open = (await rotation.GetStateAsync(ScoredOrg.Pool, Ct)).Open;
            Assert.NotEmpty(open);
            Assert.DoesNotContain(open.Values, a => a.Rep == org.B || a.Rep == org.OnLeave);
        });
    }

    [Fact]
    public async Task Rotation_pages_pass_axe_in_english_and_french()
    {
        var org = await ScoredOrg.StartAsync(runRound: true);
        await using var host = org.Host;
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/rotation");
                await AssertAccessibleAsync(page);
                await page.GotoAsync(host.BaseUrl + PoolPath);
                await page.Locator("#preview-button").ClickAsync();
                await page.Locator("#round-figures").WaitForAsync();
                await AssertAccessibleAsync(page);
            });
        }
    }

    [Fact]
    public async Task An_admin_changes_a_pools_settings_and_creates_a_pool_while_a_marketer_posting_them_is_refused()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var pools = host.Get<RotationService>().Pools;
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var before = (await pools.GetAsync(ScoredOrg.Pool, Ct))!;

        var marketer = await OpenAsync(chromium);
        await WithScreenshotAsync(marketer, async () =>
        {
            await SignInWithKeyAsync(marketer, host, marketerKey);
            await marketer.GotoAsync(host.BaseUrl + PoolPath);
            Assert.Equal(0, await marketer.Locator("#save-settings").CountAsync());
            var post = await PostFormAsync(marketer, PoolPath, "save-settings", new Dictionary<string, string> { ["Settings.Routine"] = ScoredOrg.Routine, ["Settings.SlaHours"] = "1" });
            Assert.Equal(403, post.Status);
            await marketer.GotoAsync(host.BaseUrl + "/console/rotation");
            var create = await PostFormAsync(marketer, "/console/rotation", "new-pool", new Dictionary<string, string> { ["NewPool.Name"] = "south", ["NewPool.Routine"] = ScoredOrg.Routine, ["NewPool.Rep"] = org.A });
            Assert.Equal(403, create.Status);
            Assert.Equal(before.Version, (await pools.GetAsync(ScoredOrg.Pool, Ct))!.Version);
            Assert.Null(await pools.GetAsync("south", Ct));
        });

        var admin = await OpenAsync(chromium);
        await WithScreenshotAsync(admin, async () =>
        {
            await SignInWithKeyAsync(admin, host, SfcTestHost.AdminKey);
            await admin.GotoAsync(host.BaseUrl + PoolPath);
            await admin.Locator("#pool-sla").FillAsync("two days");
            await admin.Locator("#save-settings").ClickAsync();
            await Assertions.Expect(admin.Locator("#settings-problems")).ToContainTextAsync("SLA (working hours) = 'two days': write a number such as 16.");
            await admin.Locator("#pool-sla").FillAsync("24");
            await admin.Locator("#pool-segment").FillAsync("NumberOfEmployes > 10");
            await admin.Locator("#save-settings").ClickAsync();
            await Assertions.Expect(admin.Locator("#settings-problems")).ToContainTextAsync("NumberOfEmployes");
            Assert.Equal(before.Version, (await pools.GetAsync(ScoredOrg.Pool, Ct))!.Version);

            await admin.Locator("#pool-segment").FillAsync("NumberOfEmployees > 10");
            await admin.GetByLabel("Fri", new() { Exact = true }).UncheckAsync();
            await admin.Locator("#pool-task-due").FillAsync("3");
            await admin.Locator("#save-settings").ClickAsync();
            await Assertions.Expect(admin.Locator("#action-notice")).ToContainTextAsync($"Settings saved as version {before.Version + 1}");
            var after = (await pools.GetAsync(ScoredOrg.Pool, Ct))!.Definition;
            Assert.Equal((24d, "NumberOfEmployees > 10", 3), (after.SlaHours, after.Segment, after.TaskDueDays));
            var days = before.Definition.WorkingDays.Count > 0 ? before.Definition.WorkingDays : ["Mon", "Tue", "Wed", "Thu", "Fri"];
            Assert.Equal(SfCompanion.WebConsole.Rotation.PoolSettingsForm.Days.Where(d => d != "Fri" && days.Contains(d)), after.WorkingDays);
            Assert.Equal(before.Definition.Reps, after.Reps);
            await AssertAccessibleAsync(admin);

            await admin.GotoAsync(host.BaseUrl + "/console/rotation");
            await admin.Locator("#new-pool-name").FillAsync("south");
            await admin.Locator("#new-pool-rep").FillAsync(org.B);
            await admin.Locator("#create-pool").ClickAsync();
            await admin.Locator("#pool-settings").WaitForAsync();
            Assert.EndsWith("/console/rotation/south", admin.Url, StringComparison.Ordinal);
            var created = (await pools.GetAsync("south", Ct))!.Definition;
            Assert.Equal((ScoredOrg.Routine, org.B), (created.Routine, Assert.Single(created.Reps).UserId));
        });
    }
}
