using System.Globalization;
using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Scoring;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The scoring pages in Chromium: the bands histogram against the bands service, the suspect flow and put-back, the JSON editor's errors, roles, accessibility.</summary>
public sealed class ScoringConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    [Fact]
    public async Task The_bands_histogram_shows_the_counts_of_the_bands_service()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var scoring = host.Get<ScoringService>();
        var bands = await scoring.BandsAsync((await scoring.Routines.GetAsync(ScoredOrg.Routine, Ct))!, Ct);
        Assert.Contains(bands, b => b.Count > 0);
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, viewerKey);
            await page.GotoAsync(host.BaseUrl + "/console/scoring/" + ScoredOrg.Routine);
            var rows = page.Locator("#chart-bands table tbody tr");
            Assert.Equal(bands.Count, await rows.CountAsync());
            for (var i = 0; i < bands.Count; i++)
            {
                var cells = rows.Nth(i).Locator("td");
                Assert.Equal($"{bands[i].Band} ({bands[i].Min}–{bands[i].Max})", (await cells.Nth(0).TextContentAsync())?.Trim());
                Assert.Equal(bands[i].Count.ToString("N0", English), (await cells.Nth(1).TextContentAsync())?.Trim());
            }

            Assert.Contains("size", await page.Locator("#criteria-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#flow-table button").CountAsync());
            Assert.Equal(0, await page.Locator("#preview-button").CountAsync());
        });
    }

    [Fact]
    public async Task A_marketer_puts_a_suspect_back_and_previews_while_a_viewer_is_refused_both_and_a_marketer_cannot_save()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var scoring = host.Get<ScoringService>();
        var best = (await scoring.FlowAsync(ScoredOrg.Routine, 1, Ct))[0];
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var path = "/console/scoring/" + ScoredOrg.Routine;

        var viewer = await OpenAsync(chromium);
        await WithScreenshotAsync(viewer, async () =>
        {
            await SignInWithKeyAsync(viewer, host, viewerKey);
            await viewer.GotoAsync(host.BaseUrl + path);
            Assert.Equal(403, (await PostFormAsync(viewer, path, "put-back", new Dictionary<string, string> { ["PutBackId"] = best.Id })).Status);
            Assert.Equal(403, (await PostFormAsync(viewer, path, "routine", new Dictionary<string, string> { ["RoutineAction"] = "preview", ["RoutineText"] = "{}" })).Status);
            Assert.Equal(403, (await PostFormAsync(viewer, path, "run-routine", new Dictionary<string, string> { ["RunName"] = ScoredOrg.Routine })).Status);
            Assert.Null((await scoring.GetStateAsync(ScoredOrg.Routine, Ct)).Records[best.Id].LastSeen);
        });

        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, marketerKey);
            await page.GotoAsync(host.BaseUrl + path);
            Assert.Equal(best.Id, await page.Locator("#flow-table tbody tr").First.Locator("th code").InnerTextAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Put back " + best.Id }).ClickAsync();
            await page.Locator("#action-notice").WaitForAsync();
            Assert.False((await scoring.GetStateAsync(ScoredOrg.Routine, Ct)).Records[best.Id].InFlow);
            Assert.DoesNotContain(best.Id, await page.Locator("#flow-table").InnerTextAsync(), StringComparison.Ordinal);

            // A value of the wrong type: the error names its JSON path.
            await page.Locator("#routine-json").FillAsync("{ \"object\": \"Lead\", \"weighted\": [ { \"name\": \"size\", \"formula\": \"true\", \"weight\": \"heavy\" } ] }");
            await page.Locator("#preview-button").ClickAsync();
            Assert.Contains("$.weighted[0].weight", await page.Locator("#routine-error").InnerTextAsync(), StringComparison.Ordinal);

            // A preview of the saved routine with a heavier size criterion counts the same market.
            var draft = ScoredOrg.Publishers with { Weighted = [ScoredOrg.Publishers.Weighted[0] with { Weight = 6 }, ScoredOrg.Publishers.Weighted[1]] };
            var expected = await scoring.PreviewAsync(new RoutinePreviewRequest { Draft = draft }, Ct);
            await page.Locator("#routine-json").FillAsync(System.Text.Json.JsonSerializer.Serialize(draft, System.Text.Json.JsonSerializerOptions.Web));
            await page.Locator("#preview-button").ClickAsync();
            Assert.Equal(expected.InMarket.ToString("N0", English), await page.Locator("#preview-market").InnerTextAsync());

            var save = await PostFormAsync(page, path, "routine", new Dictionary<string, string> { ["RoutineAction"] = "save", ["RoutineText"] = System.Text.Json.JsonSerializer.Serialize(draft, System.Text.Json.JsonSerializerOptions.Web) });
            Assert.Equal(403, save.Status);
            Assert.Single(await scoring.Routines.HistoryAsync(ScoredOrg.Routine, Ct));
        });
    }

    [Fact]
    public async Task Scoring_pages_pass_axe_in_english_and_french()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/scoring");
                Assert.Contains(ScoredOrg.Routine, await page.Locator("#routines-table").InnerTextAsync(), StringComparison.Ordinal);
                Assert.Contains("suspect", await page.Locator("#transitions-table").InnerTextAsync(), StringComparison.Ordinal);
                await AssertAccessibleAsync(page);

                await page.GotoAsync(host.BaseUrl + "/console/scoring/" + ScoredOrg.Routine);
                await page.Locator("#preview-button").ClickAsync();
                await page.Locator("#preview-market").WaitForAsync();
                await AssertAccessibleAsync(page);
            });
        }
    }

    [Fact]
    public async Task Typing_the_routine_updates_the_market_size_to_what_the_scoring_service_counts_and_a_viewer_may_not_ask()
    {
        var org = await ScoredOrg.StartAsync(runRound: false);
        await using var host = org.Host;
        var scoring = host.Get<ScoringService>();
        var narrower = ScoredOrg.Publishers with
        {
            Mandatory = [new SfCompanion.Rules.CriterionDefinition { Name = "publisher", Formula = "ISPICKVAL(Industry, 'Technology') && NumberOfEmployees >= 100" }],
        };
        var expected = (await scoring.PreviewAsync(new RoutinePreviewRequest { Draft = narrower }, Ct)).InMarket;
        var before = (await scoring.PreviewAsync(new RoutinePreviewRequest { Draft = ScoredOrg.Publishers }, Ct)).InMarket;
        Assert.NotEqual(before, expected);
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var path = "/console/scoring/" + ScoredOrg.Routine;

        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, marketerKey);
            await page.GotoAsync(host.BaseUrl + path);
            await page.Locator("#routine-json").FillAsync(SfCompanion.WebConsole.Scoring.RoutineJson.Write(narrower));
            await Assertions.Expect(page.Locator("#live-market")).ToHaveTextAsync(expected.ToString("N0", English));
            await Assertions.Expect(page.Locator("#preview-market")).ToHaveTextAsync(expected.ToString("N0", English));

            // A JSON mistake is listed with its place; a formula mistake with its criterion.
            await page.Locator("#routine-json").FillAsync("{ \"object\": \"Lead\", \"mandatory\": [ ");
            await Assertions.Expect(page.Locator("#live-problems")).ToContainTextAsync("json:");
            await page.Locator("#routine-json").FillAsync(SfCompanion.WebConsole.Scoring.RoutineJson.Write(narrower with
            {
                Mandatory = [new SfCompanion.Rules.CriterionDefinition { Name = "publisher", Formula = "ISPICKVAL(Industri, 'Technology')" }],
            }));
            await Assertions.Expect(page.Locator("#live-problems")).ToContainTextAsync("Industri");
            Assert.Equal(1, (await scoring.Routines.GetAsync(ScoredOrg.Routine, Ct))!.Version);
        });

        var viewer = await OpenAsync(chromium);
        await WithScreenshotAsync(viewer, async () =>
        {
            await SignInWithKeyAsync(viewer, host, viewerKey);
            await viewer.GotoAsync(host.BaseUrl + path);
            Assert.Null(await viewer.Locator("#routine-form").GetAttributeAsync("data-preview-url"));
            var token = await viewer.Locator("meta[name=sfc-antiforgery]").GetAttributeAsync("content");
            var live = await viewer.Context.APIRequest.PostAsync(host.BaseUrl + "/console/api/scoring/preview", new()
            {
                DataObject = new { name = ScoredOrg.Routine, routine = SfCompanion.WebConsole.Scoring.RoutineJson.Write(narrower) },
                Headers = new Dictionary<string, string> { ["X-Sfc-Antiforgery"] = token ?? "" },
            });
            Assert.Equal(403, live.Status);
        });
    }
}
