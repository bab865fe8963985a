using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The console's frame in a real browser: sign-in with a key, the overview, roles enforced on the server, languages, accessibility.</summary>
public sealed class ConsoleFrameTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Admin_signs_in_with_a_key_sees_the_overview_and_every_page_passes_axe()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/signin");
            await AssertAccessibleAsync(page);

            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("Connected", await page.Locator("#sf-status").InnerTextAsync());
            Assert.Contains("Lead", await page.Locator("#sync-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("page", await page.Locator("nav a[href='/console']").GetAttributeAsync("aria-current"));
            await AssertAccessibleAsync(page);

            await page.Locator("nav a[href='/console/keys']").ClickAsync();
            Assert.Equal("API keys", await page.Locator("h1").InnerTextAsync());
            await AssertAccessibleAsync(page);
        });
    }

    [Fact]
    public async Task Unauthenticated_pages_redirect_to_sign_in_and_a_bad_key_is_refused()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/keys");
            Assert.EndsWith("/console/signin?returnUrl=%2Fconsole%2Fkeys", page.Url, StringComparison.Ordinal);

            await page.Locator("#key").FillAsync("sfc_not-a-real-key-0000000000000000000000");
            await page.Locator("form[action='/console/signin/key'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync("**/console/signin?error=bad-key**");
            Assert.Contains("unknown or revoked", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
            var cookies = await page.Context.CookiesAsync();
            Assert.DoesNotContain(cookies, c => c.Name == "sfc_console");
        });
    }

    [Fact]
    public async Task Session_cookie_is_http_only_and_same_site_lax()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "sfc_console");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
            Assert.Equal("/console", cookie.Path);
        });
    }

    [Fact]
    public async Task Admin_creates_a_key_sees_its_secret_once_and_revokes_it()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/keys");
            await page.Locator("#key-name").FillAsync("newsletter tool");
            await page.Locator("#key-role").SelectOptionAsync("marketer");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

            var secret = await page.Locator("#created-secret").InnerTextAsync();
            Assert.StartsWith("sfc_", secret, StringComparison.Ordinal);
            var created = Assert.Single(await host.Get<ApiKeyService>().ListAsync(Ct), k => k.Name == "newsletter tool");
            Assert.Equal(SfcRoles.Marketer, created.Role);
            Assert.NotNull(await host.Get<ApiKeyService>().VerifyAsync(secret, Ct));

            await page.GotoAsync(host.BaseUrl + "/console/keys");
            Assert.Equal(0, await page.Locator("#created-secret").CountAsync());

            page.Dialog += (_, dialog) => dialog.AcceptAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke newsletter tool" }).ClickAsync();
            await page.Locator("#keys-table").WaitForAsync();
            Assert.Null(await host.Get<ApiKeyService>().VerifyAsync(secret, Ct));
        });
    }

    [Fact]
    public async Task Viewer_sees_no_keys_and_cannot_create_one_even_by_posting_the_form()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, viewerKey);
            Assert.Equal(0, await page.Locator("nav a[href='/console/keys']").CountAsync());

            var before = (await host.Get<ApiKeyService>().ListAsync(Ct)).Count;
            var response = await PostFormAsync(page, "/console/keys", "create-key", new Dictionary<string, string> { ["KeyName"] = "sneaky", ["KeyRole"] = "admin" });
            Assert.Equal(403, response.Status);
            Assert.Equal(before, (await host.Get<ApiKeyService>().ListAsync(Ct)).Count);

            await page.GotoAsync(host.BaseUrl + "/console/keys");
            Assert.EndsWith("/console/forbidden?returnUrl=%2Fconsole%2Fkeys", page.Url, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            var before = (await host.Get<ApiKeyService>().ListAsync(Ct)).Count;
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("_handler", "create-key");
            form.Set("KeyName", "forged");
            form.Set("KeyRole", "admin");
            var response = await page.Context.APIRequest.PostAsync(host.BaseUrl + "/console/keys", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
            Assert.Equal(400, response.Status);
            Assert.Equal(before, (await host.Get<ApiKeyService>().ListAsync(Ct)).Count);
        });
    }

    [Fact]
    public async Task French_browser_gets_french_pages_and_the_switch_changes_language()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium, "fr-FR");
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            Assert.Equal("Vue d'ensemble", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
            await AssertAccessibleAsync(page);

            await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        });
    }

    [Fact]
    public async Task Open_redirects_are_refused_after_sign_in()
    {
        await using var host = await new SfcTestHost().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await page.GotoAsync(host.BaseUrl + "/console/signin?returnUrl=" + Uri.EscapeDataString("//evil.example/console"));
            await page.Locator("#key").FillAsync(SfcTestHost.AdminKey);
            await page.Locator("form[action='/console/signin/key'] button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(host.BaseUrl + "/console");
            Assert.Equal(host.BaseUrl + "/console", page.Url);
        });
    }
}
