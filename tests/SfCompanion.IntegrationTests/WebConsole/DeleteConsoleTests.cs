using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rotation;
using SfCompanion.Scoring;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// Deleting a rotation pool and a scoring routine from their pages in Chromium: the name typed again to confirm, a
/// notice on the list, the version history keeping a deleted version, and the form refused to other roles.
/// </summary>
public sealed class DeleteConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_admin_deletes_a_pool_then_its_routine_after_typing_their_names_and_a_marketer_posting_the_form_is_refused()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var pools = host.Get<RotationService>().Pools;
        var routines = host.Get<ScoringService>().Routines;
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);

        var marketer = await OpenAsync(chromium);
        await WithScreenshotAsync(marketer, async () =>
        {
            await SignInWithKeyAsync(marketer, host, marketerKey);
            await marketer.GotoAsync(host.BaseUrl + "/console/rotation/" + ScoredOrg.Pool);
            Assert.Equal(0, await marketer.Locator("#delete-button").CountAsync());
            var post = await PostFormAsync(marketer, "/console/rotation/" + ScoredOrg.Pool, "delete", new Dictionary<string, string> { ["ConfirmName"] = ScoredOrg.Pool });
            Assert.Equal(403, post.Status);
            Assert.NotNull(await pools.GetAsync(ScoredOrg.Pool, Ct));
        });

        var admin = await OpenAsync(chromium);
        await WithScreenshotAsync(admin, async () =>
        {
            await SignInWithKeyAsync(admin, host, SfcTestHost.AdminKey);
            await admin.GotoAsync(host.BaseUrl + "/console/rotation/" + ScoredOrg.Pool);
            await admin.Locator("#delete-confirm").FillAsync("south");
            await admin.Locator("#delete-button").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(admin.Locator("#delete-error")).ToContainTextAsync("'south' is not 'north'");
            Assert.NotNull(await pools.GetAsync(ScoredOrg.Pool, Ct));

            await admin.Locator("#delete-confirm").FillAsync(ScoredOrg.Pool);
            await admin.Locator("#delete-button").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(admin.Locator("#deleted-notice")).ToContainTextAsync("Pool deleted: " + ScoredOrg.Pool);
            Assert.EndsWith("/console/rotation?deleted=" + ScoredOrg.Pool, admin.Url, StringComparison.Ordinal);
            Assert.Null(await pools.GetAsync(ScoredOrg.Pool, Ct));
            Assert.True((await pools.HistoryAsync(ScoredOrg.Pool, Ct))[0].Deleted);
            Assert.Equal(0, await admin.Locator("#pools-table").GetByText(ScoredOrg.Pool, new() { Exact = true }).CountAsync());

            await admin.GotoAsync(host.BaseUrl + "/console/scoring/" + ScoredOrg.Routine);
            await admin.Locator("#delete-confirm").FillAsync(ScoredOrg.Routine);
            await admin.Locator("#delete-button").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(admin.Locator("#deleted-notice")).ToContainTextAsync("Routine deleted: " + ScoredOrg.Routine);
            Assert.Null(await routines.GetAsync(ScoredOrg.Routine, Ct));
            await AssertAccessibleAsync(admin);

            // A notice is shown only for what is indeed deleted: a crafted link naming a live or unknown one shows none.
            await admin.GotoAsync(host.BaseUrl + "/console/scoring?deleted=never-saved");
            Assert.Equal(0, await admin.Locator("#deleted-notice").CountAsync());
        });
    }
}
