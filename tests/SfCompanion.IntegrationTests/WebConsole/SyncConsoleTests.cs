using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.Emulator;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Sync;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The sync page in a real browser against an emulated org: objects, readiness problems, API usage, sync now, roles.</summary>
public sealed class SyncConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static Action<EmulatorOptions> Without(string sobject, string field) => o =>
        o.CustomFields.Remove(o.CustomFields.Single(f => f.SObjectType == sobject && f.Name == field));

    [Fact]
    public async Task Sync_page_shows_objects_readiness_problems_and_calls_and_passes_axe_in_english_and_french()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator(Without("Lead", "Sfc_Email_Clicks__c")).StartAsync();
        await host.Get<SyncService>().SyncAllAsync(cancellationToken: Ct);
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/sync");
                Assert.Equal(locale == "fr-FR" ? "Synchronisation" : "Sync", await page.Locator("h1").InnerTextAsync());
                var lead = page.Locator("#sync-objects tr", new() { Has = page.Locator("th", new() { HasText = "Lead" }) });
                Assert.Equal(1, await lead.CountAsync());
                var leadState = (await host.Get<SyncStateStore>().GetAsync("Lead", Ct))!;
                Assert.Contains(leadState.Mode!, await lead.InnerTextAsync(), StringComparison.Ordinal);

                Assert.Contains("Lead.Sfc_Email_Clicks__c", await page.Locator("#readiness-problems").InnerTextAsync(), StringComparison.Ordinal);
                Assert.True(await page.Locator("#chart-calls table tbody tr").CountAsync() > 0);
                await AssertAccessibleAsync(page);
            }, "Sync_page_" + locale);
        }
    }

    [Fact]
    public async Task Marketer_syncs_now_and_a_viewer_posting_it_gets_403_and_nothing_is_queued()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var store = host.Get<JobStore>();

        var viewer = await OpenAsync(chromium);
        await WithScreenshotAsync(viewer, async () =>
        {
            await SignInWithKeyAsync(viewer, host, viewerKey);
            await viewer.GotoAsync(host.BaseUrl + "/console/sync");
            Assert.Equal(0, await viewer.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).CountAsync());
            var response = await PostFormAsync(viewer, "/console/sync", "job-actions", new Dictionary<string, string> { ["RunJob"] = SyncExtensions.JobName });
            Assert.Equal(403, response.Status);
            Assert.Null((await store.GetStateAsync(SyncExtensions.JobName, Ct)).QueuedRunId);
        });

        var marketer = await OpenAsync(chromium);
        await WithScreenshotAsync(marketer, async () =>
        {
            await SignInWithKeyAsync(marketer, host, marketerKey);
            await marketer.GotoAsync(host.BaseUrl + "/console/sync");
            await marketer.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
            await Assertions.Expect(marketer.Locator("#action-notice")).ToContainTextAsync("Run of sync requested");
            var queued = (await store.GetStateAsync(SyncExtensions.JobName, Ct)).QueuedRunId;
            Assert.NotNull(queued);
            Assert.Equal(JobTriggers.Manual, (await store.GetRunAsync(queued, Ct))!.Trigger);
        });
    }
}
