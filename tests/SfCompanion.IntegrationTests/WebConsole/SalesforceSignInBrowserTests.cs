using Microsoft.Playwright;
using SfCompanion.Emulator;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>"Sign in with Salesforce" in a real browser: the console's sign-in page, the emulated org's login page, back to the console.</summary>
public sealed class SalesforceSignInBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static async Task<SfcTestHost> StartAsync() =>
        await new SfcTestHost().WithKestrel().WithEmulator().With("Console:SalesforceSignIn:Enabled", "true").StartAsync();

    private static async Task LogInOnSalesforceAsync(IPage page, string username)
    {
        await page.Locator("#signin-salesforce").ClickAsync();
        await page.WaitForURLAsync("**/services/oauth2/authorize?**");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(EmulatorOptions.DefaultUserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log In" }).ClickAsync();
    }

    [Fact]
    public async Task Admin_signs_in_with_salesforce_and_lands_where_they_were_going()
    {
        await using var host = await StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/keys");
            Assert.EndsWith("/console/signin?returnUrl=%2Fconsole%2Fkeys", page.Url, StringComparison.Ordinal);

            await page.Locator("#signin-salesforce").ClickAsync();
            await page.WaitForURLAsync("**/services/oauth2/authorize?**");
            Assert.StartsWith(host.Emulator.BaseUrl, page.Url, StringComparison.Ordinal);
            await AssertAccessibleAsync(page);
            await page.GetByLabel("Username").FillAsync("admin@demo.sfcompanion.test");
            await page.GetByLabel("Password").FillAsync(EmulatorOptions.DefaultUserPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log In" }).ClickAsync();

            await page.WaitForURLAsync(host.BaseUrl + "/console/keys");
            Assert.Equal("API keys", await page.Locator("h1").InnerTextAsync());
            Assert.Contains("Alice Admin (admin)", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
            var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "sfc_console");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        });
    }

    [Fact]
    public async Task A_user_without_a_permission_set_sees_why_on_the_sign_in_page()
    {
        await using var host = await StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/signin");
            await LogInOnSalesforceAsync(page, "norole@demo.sfcompanion.test");

            await page.WaitForURLAsync("**/console/signin?error=no-role");
            Assert.Contains("none of SfCompanion's permission sets", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "sfc_console");
        });
    }

    [Fact]
    public async Task A_marketer_does_not_see_the_admin_pages()
    {
        await using var host = await StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/signin");
            await LogInOnSalesforceAsync(page, "marketer@demo.sfcompanion.test");

            await page.WaitForURLAsync(host.BaseUrl + "/console");
            Assert.Contains("Mehdi Marketer (marketer)", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("nav a[href='/console/keys']").CountAsync());
        });
    }
}
