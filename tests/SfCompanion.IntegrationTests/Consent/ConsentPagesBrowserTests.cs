using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SfCompanion.Consent;

namespace SfCompanion.IntegrationTests.Consent;

/// <summary>The consent pages in a real browser with JavaScript disabled, in English and French.</summary>
public sealed class ConsentPagesBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IPage> OpenPageAsync(string locale)
    {
        var context = await chromium.Require().NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, Locale = locale });
        return await context.NewPageAsync();
    }

    /// <summary>Runs the steps and, when one fails, saves a screenshot next to the test output and names it in the failure.</summary>
    private static async Task WithScreenshotAsync(IPage page, Func<Task> steps, [CallerMemberName] string name = "")
    {
        try
        {
            await steps();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var path = Path.Combine(Path.GetTempPath(), "sfc-consent-screenshots", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            throw new InvalidOperationException($"{ex.Message} (screenshot: {path})", ex);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static ILocator Channel(IPage page, string channel) => page.Locator("#channel-" + channel);

    [Fact]
    public async Task English_page_shows_without_changing_and_each_post_applies_a_choice()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = ConsentHttpTests.LeadId(101);
        var page = await OpenPageAsync("en-GB");
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/p/" + host.Tokens.Issue(lead));

            Assert.Equal("Your contact preferences", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            Assert.Contains("You receive these.", await Channel(page, "email").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Null(await host.Consent.GetStateAsync(lead, Ct));

            await page.GetByRole(AriaRole.Button, new() { Name = "Stop emails" }).ClickAsync();

            Assert.Equal("Your choice is recorded", await page.Locator("h1").InnerTextAsync());
            Assert.Contains("You will no longer receive our emails.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            var state = await host.Consent.GetStateAsync(lead, Ct);
            Assert.True(state!.IsOptedOut(ConsentChannels.Email));
            Assert.Equal(ConsentSources.Page, state.Channels[ConsentChannels.Email].Source);

            await page.GetByRole(AriaRole.Link, new() { Name = "Back to your preferences" }).ClickAsync();
            Assert.Contains("Stopped.", await Channel(page, "email").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("stopped", await Channel(page, "email").GetAttributeAsync("data-state"));

            // Re-subscribing is a fresh, explicit act, recorded as a new consent.
            await page.GetByRole(AriaRole.Button, new() { Name = "Receive emails again" }).ClickAsync();
            Assert.Contains("You will receive our emails again.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            var events = (await host.Consent.ExportAsync(lead, Ct)).Events;
            Assert.Equal([ConsentActions.OptOut, ConsentActions.OptIn], events.Select(e => e.Action));
            Assert.All(events, e => Assert.Contains("Chrome", e.UserAgent, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task French_page_stops_all_prospection_in_one_click()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = ConsentHttpTests.LeadId(102);
        var page = await OpenPageAsync("fr-FR");
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/p/" + host.Tokens.Issue(lead));

            Assert.Equal("Vos préférences de contact", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));

            await page.GetByRole(AriaRole.Button, new() { Name = "Arrêter toute prospection" }).ClickAsync();

            Assert.Equal("Votre choix est enregistré", await page.Locator("h1").InnerTextAsync());
            Assert.Contains("Vous ne recevrez plus aucune prospection de notre part.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            var state = await host.Consent.GetStateAsync(lead, Ct);
            Assert.All(ConsentChannels.All, c => Assert.True(state!.IsOptedOut(c)));

            await page.GetByRole(AriaRole.Link, new() { Name = "Retour à vos préférences" }).ClickAsync();
            Assert.Contains("Arrêté, car toute prospection est arrêtée.", await Channel(page, "sms").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Accepter à nouveau la prospection" }).CountAsync());

            // The language link switches to English on the same page.
            await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            Assert.Equal("Your contact preferences", await page.Locator("h1").InnerTextAsync());
        });
    }

    [Fact]
    public async Task Double_opt_in_link_confirms_only_when_the_button_is_pressed()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = ConsentHttpTests.LeadId(103);
        var link = host.Services.GetRequiredService<ConsentLinks>().Confirmation(lead, ConsentChannels.Email, requestBase: host.BaseUrl).Url;
        var page = await OpenPageAsync("en-US");
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(link);
            await page.ReloadAsync();

            Assert.Equal("Please confirm", await page.Locator("h1").InnerTextAsync());
            Assert.Null(await host.Consent.GetStateAsync(lead, Ct));

            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, I confirm" }).ClickAsync();

            Assert.Equal("Thank you, your consent is recorded", await page.Locator("h1").InnerTextAsync());
            var state = await host.Consent.GetStateAsync(lead, Ct);
            Assert.True(state!.IsOptedIn(ConsentChannels.Email));
            Assert.NotNull(state.Channels[ConsentChannels.Email].DoubleOptInAt);
            var proof = Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events);
            Assert.Equal(ConsentSources.ConfirmationLink, proof.Source);
            Assert.True(proof.DoubleOptIn);
            Assert.Equal("confirm-email", proof.TokenId!.Split('.')[^1]);
        });
    }

    [Fact]
    public async Task A_tampered_link_shows_a_friendly_page_in_the_readers_language()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var page = await OpenPageAsync("fr-CA");
        await WithScreenshotAsync(page, async () =>
        {
            var response = await page.GotoAsync(host.BaseUrl + "/p/" + host.Tokens.Issue(ConsentHttpTests.LeadId(104)) + "x");

            Assert.Equal(404, response!.Status);
            Assert.Equal("Ce lien ne peut pas être utilisé", await page.Locator("h1").InnerTextAsync());
            Assert.Contains("Rien n'a été modifié", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("form").CountAsync());
        });
    }
}
