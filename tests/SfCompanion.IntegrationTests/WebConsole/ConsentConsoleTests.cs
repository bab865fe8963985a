using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.Consent;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The console's consent page against an emulated org: finding a person, proof, export, erasure, import, links, roles.</summary>
public sealed class ConsentConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    /// <summary>A lead in the org and the mirror, who opted out of email on the preference page and whose phone consent was imported.</summary>
    private static async Task<(SfcTestHost Host, string Lead)> StartAsync()
    {
        var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("anne.martin@exemple.fr");
        await host.Consent.ApplyAsync(lead, [new ConsentChange(ConsentChannels.Email, ConsentActions.OptOut)],
            new ConsentContext(ConsentSources.Page, Ip: IPAddress.Parse("203.0.113.7"), UserAgent: Browser), Ct);
        await host.Consent.ApplyAsync(lead, [new ConsentChange(ConsentChannels.Phone, ConsentActions.OptIn)],
            new ConsentContext(ConsentSources.AdminImport, At: DateTimeOffset.UtcNow.AddDays(-30), Note: "paper form"), Ct);
        return (host, lead);
    }

    private static async Task<int> EventCountAsync(SfcTestHost host, string lead) => (await host.Consent.ExportAsync(lead, Ct)).Events.Count;

    [Fact]
    public async Task Admin_finds_a_person_by_email_sees_each_channel_with_its_proof_and_downloads_the_export()
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/consent");
            await page.Locator("#subject-q").FillAsync("Anne.Martin@exemple.fr");
            await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

            Assert.Contains(lead, await page.Locator("#subject-title").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("opted out", await page.Locator("#consent-state tr[data-channel=email]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("opted in", await page.Locator("#consent-state tr[data-channel=phone]").InnerTextAsync(), StringComparison.Ordinal);
            var history = await page.Locator("#consent-events").InnerTextAsync();
            Assert.Contains("203.0.113.0/24", history, StringComparison.Ordinal);
            Assert.Contains("Firefox/128.0", history, StringComparison.Ordinal);
            Assert.Contains("paper form", history, StringComparison.Ordinal);
            Assert.Contains("admin-import", history, StringComparison.Ordinal);

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#subject-export").ClickAsync());
            Assert.Equal($"consent-{lead}.json", download.SuggestedFilename);
            using var export = JsonDocument.Parse(await File.ReadAllTextAsync((await download.PathAsync())!, Ct));
            Assert.Equal(lead, export.RootElement.GetProperty("subject").GetString());
            Assert.Equal(2, export.RootElement.GetProperty("events").GetArrayLength());
            Assert.Equal("anne.martin@exemple.fr", export.RootElement.GetProperty("salesforceCopy").GetProperty("Lead").GetProperty("Email").GetString());
        });
    }

    [Fact]
    public async Task Marketer_sees_no_export_or_erase_and_posting_the_erasure_directly_is_refused_and_changes_nothing()
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, await host.CreateKeyAsync(SfcRoles.Marketer));
            await page.GotoAsync(host.BaseUrl + "/console/consent?q=" + lead);
            Assert.Contains("opted out", await page.Locator("#consent-state tr[data-channel=email]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#subject-export, #subject-erase, #import-title").CountAsync());
            // The proof (network, IP hash, browser) is for admins only.
            Assert.Equal(0, await page.Locator("#consent-events").CountAsync());
            Assert.Equal(1, await page.Locator("#consent-events-admin-only").CountAsync());

            // What a marketer can do: a recipient's consent links.
            await page.GetByRole(AriaRole.Button, new() { Name = "Get the links" }).ClickAsync();
            Assert.StartsWith(host.BaseUrl + "/p/", await page.Locator("#link-preferences").InputValueAsync(), StringComparison.Ordinal);
            Assert.Equal("List-Unsubscribe=One-Click", await page.Locator("#link-header-post").InputValueAsync());

            var erase = await PostFormAsync(page, "/console/consent/erase/" + lead, "erase", new Dictionary<string, string> { ["ConfirmSubject"] = lead });
            Assert.Equal(403, erase.Status);
            var export = await page.Context.APIRequest.GetAsync($"{host.BaseUrl}/console/api/consent/subjects/{lead}/export.json");
            Assert.Equal(403, export.Status);
            await page.GotoAsync(host.BaseUrl + "/console/consent/erase/" + lead);
            Assert.Contains("/console/forbidden", page.Url, StringComparison.Ordinal);

            Assert.True((await host.Consent.GetStateAsync(lead, Ct))!.IsOptedOut(ConsentChannels.Email));
            Assert.Equal(2, await EventCountAsync(host, lead));
            Assert.False((await host.Consent.ExportAsync(lead, Ct)).Suppressed);
            Assert.NotNull(await host.Get<SfCompanion.Sync.Mirror>().GetAsync("Lead", lead, Ct));
        });
    }

    [Fact]
    public async Task Viewer_sees_the_state_but_no_action_and_posting_each_action_is_refused()
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, await host.CreateKeyAsync(SfcRoles.Viewer));
            await page.GotoAsync(host.BaseUrl + "/console/consent?q=" + lead);
            Assert.Contains("opted out", await page.Locator("#consent-state tr[data-channel=email]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#subject-export, #subject-erase, #import-title, #links-title").CountAsync());

            var links = await PostFormAsync(page, "/console/consent?q=" + lead, "consent-links", new Dictionary<string, string> { ["LinksRecipient"] = lead });
            Assert.Equal(403, links.Status);
            Assert.DoesNotContain("/p/", await links.TextAsync(), StringComparison.Ordinal);
            var import = await PostFormAsync(page, "/console/consent", "consent-import", new Dictionary<string, string>());
            Assert.Equal(403, import.Status);
            var erase = await PostFormAsync(page, "/console/consent/erase/" + lead, "erase", new Dictionary<string, string> { ["ConfirmSubject"] = lead });
            Assert.Equal(403, erase.Status);

            Assert.Equal(2, await EventCountAsync(host, lead));
            Assert.NotNull(await host.Consent.GetStateAsync(lead, Ct));
        });
    }

    [Fact]
    public async Task Admin_erasure_needs_the_typed_confirmation_and_without_it_nothing_is_erased()
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/consent?q=" + lead);
            await page.Locator("#subject-erase").ClickAsync();
            Assert.Equal("Camille Martin", await page.Locator("#erase-subject").InnerTextAsync());
            await AssertAccessibleAsync(page);

            foreach (var confirmation in new[] { "", "00Q000000000000AAA", lead.ToLowerInvariant() })
            {
                var refused = await PostFormAsync(page, "/console/consent/erase/" + lead, "erase", new Dictionary<string, string> { ["ConfirmSubject"] = confirmation });
                Assert.Equal(400, refused.Status);
                Assert.Contains("Nothing was erased", await refused.TextAsync(), StringComparison.Ordinal);
            }

            Assert.Equal(2, await EventCountAsync(host, lead));
            Assert.NotNull(await host.Get<SfCompanion.Sync.Mirror>().GetAsync("Lead", lead, Ct));

            await page.Locator("#erase-confirm").FillAsync(lead);
            await page.Locator("#erase-button").ClickAsync();
            await page.WaitForURLAsync($"**/console/consent?erased={lead}");
            Assert.Contains(lead, await page.Locator("#consent-notice").InnerTextAsync(), StringComparison.Ordinal);
            var after = await host.Consent.ExportAsync(lead, Ct);
            Assert.Empty(after.Events);
            Assert.Null(after.State);
            Assert.True(after.Suppressed);
            Assert.Null(await host.Get<SfCompanion.Sync.Mirror>().GetAsync("Lead", lead, Ct));
        });
    }

    [Fact]
    public async Task Admin_imports_a_csv_rejected_rows_are_listed_with_their_reason_and_nothing_is_recorded_until_all_are_valid()
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var other = await host.AddLeadAsync("paul.durand@exemple.fr");
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/consent");
            await UploadAsync(page, $"subject,channel,action,at,note\r\n{other},sms,opt-in,2025-01-31T10:00:00Z,salon\r\n{other},fax,opt-in,,\r\nnot-an-id,email,maybe,yesterday,\r\n", "#import-rejected");
            var rejected = await page.Locator("#import-rejected").InnerTextAsync();
            Assert.Contains("2 of 3 rows rejected", rejected, StringComparison.Ordinal);
            Assert.Contains("channel = 'fax'", rejected, StringComparison.Ordinal);
            Assert.Contains("subject = 'not-an-id'", rejected, StringComparison.Ordinal);
            Assert.Contains("action = 'maybe'", rejected, StringComparison.Ordinal);
            Assert.Contains("at = 'yesterday'", rejected, StringComparison.Ordinal);
            Assert.Null(await host.Consent.GetStateAsync(other, Ct));

            await UploadAsync(page, $"subject;channel;action;at;note\r\n{other};sms;opt-in;2025-01-31T10:00:00Z;salon\r\n{other};email;opt-out;2025-02-01T10:00:00Z;\r\n{lead};email;opt-out;;\r\n", "#import-result");
            Assert.Contains("3 rows, 2 people, 2 events recorded", await page.Locator("#import-result").InnerTextAsync(), StringComparison.Ordinal);
            var state = (await host.Consent.GetStateAsync(other, Ct))!;
            Assert.Equal(ConsentActions.OptIn, state.Channels[ConsentChannels.Sms].Status);
            Assert.Equal(ConsentSources.AdminImport, state.Channels[ConsentChannels.Sms].Source);
            Assert.Equal(new DateTimeOffset(2025, 1, 31, 10, 0, 0, TimeSpan.Zero), state.Channels[ConsentChannels.Sms].At);
            Assert.True(state.IsOptedOut(ConsentChannels.Email));
        });
    }

    [Theory]
    [InlineData("en-GB", "Consent")]
    [InlineData("fr-FR", "Consentement")]
    public async Task Consent_pages_pass_axe_in_both_languages(string locale, string title)
    {
        var (host, lead) = await StartAsync();
        await using var _ = host;
        var page = await OpenAsync(chromium, locale);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/consent?q=" + lead);
            Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
            await page.Locator("#links-recipient").FillAsync(lead);
            await page.Locator("#links-recipient").PressAsync("Enter");
            await page.Locator("#link-preferences").WaitForAsync();
            await AssertAccessibleAsync(page);

            await page.GotoAsync(host.BaseUrl + "/console/consent/erase/" + lead);
            await AssertAccessibleAsync(page);
        });
    }

    private static async Task UploadAsync(IPage page, string csv, string outcome)
    {
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload { Name = "consents.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        await page.Locator(outcome).WaitForAsync();
    }
}
