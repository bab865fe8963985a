using System.Runtime.CompilerServices;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// The console in Debian's Chromium: a browser context per person (its own cookies), sign-in helpers, an axe-core
/// check that fails on serious or critical violations, and a screenshot when a step fails.
/// </summary>
public static class ConsoleBrowser
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A page in a fresh browser context (no cookies) for <paramref name="host"/>, in <paramref name="locale"/>.</summary>
    public static async Task<IPage> OpenAsync(ChromiumFixture chromium, string locale = "en-GB")
    {
        var context = await chromium.Require().NewContextAsync(new BrowserNewContextOptions { Locale = locale });
        // Generous: the machine running the tests may be busy; nothing here asserts on time.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in page's API-key form and lands on the overview.</summary>
    public static async Task SignInWithKeyAsync(IPage page, SfcTestHost host, string key)
    {
        await page.GotoAsync(host.BaseUrl + "/console");
        Assert.EndsWith("/console/signin?returnUrl=%2Fconsole", page.Url, StringComparison.Ordinal);
        await page.Locator("#key").FillAsync(key);
        await page.Locator("form[action='/console/signin/key'] button[type=submit]").ClickAsync();
        // Polls the page's address: WaitForURLAsync with WaitUntil=Commit, when the navigation has already committed,
        // can wait for a load state that has already passed (seen as a 90 s timeout).
        await Assertions.Expect(page).ToHaveURLAsync(host.BaseUrl + "/console", new() { Timeout = 90_000 });
        await page.Locator("main h1").WaitForAsync();
    }

    /// <summary>Runs axe-core on the page and fails with the rules and elements when a serious or critical violation is found.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(
            serious.Count == 0,
            $"axe-core on {page.Url}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }

    /// <summary>Runs the steps; when one fails, saves a screenshot and names it in the failure. Closes the page's context.</summary>
    public static async Task WithScreenshotAsync(IPage page, Func<Task> steps, [CallerMemberName] string name = "")
    {
        try
        {
            await steps();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var path = Path.Combine(Path.GetTempPath(), "sfc-console-screenshots", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            throw new InvalidOperationException($"{ex.Message} (screenshot: {path})", ex);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Posts a console form directly, as a hand-crafted request would, with the page's session cookie and a valid
    /// anti-forgery token read from the page: what the server does must not depend on what the page showed.
    /// </summary>
    public static async Task<IAPIResponse> PostFormAsync(IPage page, string path, string formName, IDictionary<string, string> fields)
    {
        var token = await page.Locator("meta[name=sfc-antiforgery]").GetAttributeAsync("content");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("_handler", formName);
        form.Set("__RequestVerificationToken", token ?? string.Empty);
        foreach (var (key, value) in fields)
        {
            form.Set(key, value);
        }

        var origin = new Uri(page.Url).GetLeftPart(UriPartial.Authority);
        return await page.Context.APIRequest.PostAsync(origin + path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
    }
}
