using System.Globalization;
using CsvHelper;
using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.Tracking;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The console's tracking page on demo data with clicks made through the redirect: funnels, clickers, CSV, links, roles.</summary>
public sealed class TrackingConsoleTests(ChromiumFixture chromium, MarketingConsoleFixture org) : IClassFixture<ChromiumFixture>, IClassFixture<MarketingConsoleFixture>
{
    private string CampaignPath => "/console/tracking/campaigns/" + org.CampaignId;

    [Fact]
    public async Task Marketer_downloads_the_clickers_csv_from_the_page_with_one_row_per_person_who_clicked()
    {
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, org.Host, await org.Host.CreateKeyAsync(SfcRoles.Marketer));
            await page.GotoAsync(org.Host.BaseUrl + "/console/tracking");
            await page.Locator($"#tracked-campaigns a[href='{CampaignPath}']").ClickAsync();
            Assert.Equal("5", await page.Locator("#stat-clickers").InnerTextAsync());
            Assert.Equal(5, await page.Locator("#clickers tbody tr").CountAsync());

            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#clickers-csv-all").ClickAsync());
            Assert.Equal($"clickers-{org.CampaignId}.csv", download.SuggestedFilename);
            var rows = ReadCsv(await File.ReadAllTextAsync((await download.PathAsync())!, Ct));
            Assert.Equal(org.HumanClicks.Keys.Order(StringComparer.Ordinal), rows.Select(r => r["RecipientId"]).Order(StringComparer.Ordinal));
            foreach (var row in rows)
            {
                Assert.Equal(org.HumanClicks[row["RecipientId"]].ToString(CultureInfo.InvariantCulture), row["Clicks"]);
                Assert.Contains("Livre blanc", row["Links"], StringComparison.Ordinal);
            }

            Assert.All(org.ScannedOnly, s => Assert.DoesNotContain(rows, r => r["RecipientId"] == s));
            var twoLinks = rows.Where(r => r["Links"].Contains("Tarifs", StringComparison.Ordinal)).Select(r => r["RecipientId"]).ToHashSet();
            Assert.Equal(org.HumanClicks.Where(h => h.Value == 2).Select(h => h.Key).ToHashSet(), twoLinks);

            // The people to call: the same file without those who responded otherwise.
            var callOnly = await page.RunAndWaitForDownloadAsync(() => page.Locator("#clickers-csv").ClickAsync());
            var toCall = ReadCsv(await File.ReadAllTextAsync((await callOnly.PathAsync())!, Ct));
            Assert.Equal(rows.Where(r => r["RespondedOtherwise"] == "false").Select(r => r["RecipientId"]), toCall.Select(r => r["RecipientId"]));
        });
    }

    [Fact]
    public async Task The_campaign_page_shows_the_funnels_and_the_flagged_clicks_by_reason()
    {
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, org.Host, await org.Host.CreateKeyAsync(SfcRoles.Viewer));
            await page.GotoAsync(org.Host.BaseUrl + CampaignPath);
            var funnel = await ChartDataAsync(page, "funnel-campaign");
            Assert.Contains(funnel, l => l.StartsWith("Human clickers\t5 (", StringComparison.Ordinal));
            // 7 clicks by people, 1 by a scanner announcing itself, 3 by a scanner opening every link, 1 forwarded without a token.
            Assert.Contains("Clicks (all)\t12", funnel);
            var flagged = await ChartDataAsync(page, "flagged-campaign");
            Assert.Contains("scanner user agent\t1", flagged);
            Assert.Contains("hidden link (honeypot)\t1", flagged);
            Assert.Contains(await ChartDataAsync(page, "funnel-" + org.Pricing.Id), l => l.StartsWith("Human clickers\t2 (", StringComparison.Ordinal));
            Assert.Contains(await ChartDataAsync(page, "funnel-" + org.WhitePaper.Id), l => l.StartsWith("Human clickers\t5 (", StringComparison.Ordinal));
            Assert.Contains("Members", await page.Locator("#funnel-campaign svg desc").TextContentAsync(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Marketer_registers_a_link_reads_its_merge_field_url_and_sees_bad_input_named()
    {
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, org.Host, await org.Host.CreateKeyAsync(SfcRoles.Marketer));
            await page.GotoAsync(org.Host.BaseUrl + CampaignPath);
            await page.Locator("#link-name").FillAsync("Webinaire");
            await page.Locator("#link-url").FillAsync("javascript:alert(1)");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
            var error = await page.Locator("#tracking-error").InnerTextAsync();
            Assert.Contains("Target URL: url = 'javascript:alert(1)'", error, StringComparison.Ordinal);
            Assert.DoesNotContain(await org.Host.Get<TrackedLinks>().ListAsync(org.CampaignId, Ct), l => l.Label == "Webinaire");

            await page.Locator("#link-url").FillAsync("https://www.exemple.fr/webinaire");
            await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
            var leadUrl = await page.Locator("#registered-lead-url").InputValueAsync();
            var link = Assert.Single(await org.Host.Get<TrackedLinks>().ListAsync(org.CampaignId, Ct), l => l.Label == "Webinaire");
            Assert.Equal($"http://localhost:8080/r/{link.Id}?t={{!Lead.Sfc_Tracking_Token__c}}", leadUrl);
            Assert.Equal($"http://localhost:8080/r/{link.Id}?t={{!Contact.Sfc_Tracking_Token__c}}", await page.Locator("#registered-contact-url").InputValueAsync());
            Assert.Contains($"/r/{org.Honeypot.Id}?t=", await page.Locator("#registered-honeypot").InputValueAsync(), StringComparison.Ordinal);
            Assert.Equal("Lead email URL", (await page.Locator("label[for=registered-lead-url]").InnerTextAsync()).Trim());
            // The script shows the copy buttons (the page is served over http://127.0.0.1, a secure context).
            await page.Locator("button[data-copy=registered-lead-url]").WaitForAsync(new() { State = WaitForSelectorState.Visible });
            await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy Lead email URL", Exact = true }).ClickAsync();
            await page.Locator("button[data-copy=registered-lead-url][data-copied=true]").WaitForAsync();
            Assert.Equal(leadUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await AssertAccessibleAsync(page);

            // Disabling asks first, then the redirect stops.
            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Disable Webinaire" }).ClickAsync();
            await page.Locator($"#link-{link.Id} .status-warn").WaitForAsync();
            Assert.True((await org.Host.Get<TrackedLinks>().GetAsync(link.Id, Ct))!.Disabled);
        });
    }

    [Fact]
    public async Task Viewer_sees_no_actions_and_posting_them_or_fetching_the_csv_is_refused()
    {
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, org.Host, await org.Host.CreateKeyAsync(SfcRoles.Viewer));
            await page.GotoAsync(org.Host.BaseUrl + CampaignPath);
            Assert.Equal(5, await page.Locator("#clickers tbody tr").CountAsync());
            Assert.Equal(0, await page.Locator("#register-title, #clickers-csv, button.danger").CountAsync());
            var links = org.Host.Get<TrackedLinks>();
            var before = (await links.ListAsync(org.CampaignId, Ct)).Count;

            var register = await PostFormAsync(page, CampaignPath, "register-link", new Dictionary<string, string>
            {
                ["LinkCampaign"] = org.CampaignId, ["LinkName"] = "sneaky", ["LinkUrl"] = "https://www.exemple.fr/x",
            });
            Assert.Equal(403, register.Status);
            var disable = await PostFormAsync(page, CampaignPath, "disable-link", new Dictionary<string, string> { ["DisableId"] = org.WhitePaper.Id });
            Assert.Equal(403, disable.Status);
            var csv = await page.Context.APIRequest.GetAsync($"{org.Host.BaseUrl}/console/api/tracking/campaigns/{org.CampaignId}/clickers.csv");
            Assert.Equal(403, csv.Status);

            Assert.Equal(before, (await links.ListAsync(org.CampaignId, Ct)).Count);
            Assert.False((await links.GetAsync(org.WhitePaper.Id, Ct))!.Disabled);
        });
    }

    [Theory]
    [InlineData("en-GB", "Tracking")]
    [InlineData("fr-FR", "Suivi des clics")]
    public async Task Tracking_pages_pass_axe_in_both_languages(string locale, string title)
    {
        var page = await OpenAsync(chromium, locale);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, org.Host, SfCompanion.IntegrationTests.TestHost.SfcTestHost.AdminKey);
            await page.GotoAsync(org.Host.BaseUrl + "/console/tracking");
            Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
            Assert.Equal("page", await page.Locator("nav a[href='/console/tracking']").GetAttributeAsync("aria-current"));
            // The demo org's other campaigns are listed too, to open and register a link on.
            var campaigns = await org.Host.Get<SfCompanion.Sync.Mirror>().CountAsync("Campaign", Ct);
            Assert.Equal(campaigns - 1, await page.Locator("#untracked-campaigns tbody tr").CountAsync());
            await AssertAccessibleAsync(page);

            await page.GotoAsync(org.Host.BaseUrl + CampaignPath);
            await page.Locator("details.copy-urls summary").First.ClickAsync();
            await AssertAccessibleAsync(page);
        });
    }

    /// <summary>The rows of a chart's data table, cells joined by tabs (the table is in a closed details element).</summary>
    private static async Task<IReadOnlyList<string>> ChartDataAsync(IPage page, string chartId) =>
        await page.Locator($"#{chartId} table tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()).join('\\t'))");

    private static List<Dictionary<string, string>> ReadCsv(string text)
    {
        using var input = new StringReader(text);
        using var reader = CsvReader.Create(input, new CsvReaderOptions { Separator = ',', HasHeader = true }, leaveOpen: true);
        var header = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            rows.Add(header.Select((h, i) => (h, reader.GetString(i))).ToDictionary(p => p.h, p => p.Item2, StringComparer.Ordinal));
        }

        return rows;
    }
}
