using System.Collections.Concurrent;
using Microsoft.Playwright;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>
/// The API reference (<c>/docs</c>) in a real browser with JavaScript on and every request to another host blocked:
/// it must need nothing from outside (air-gapped sites) and offer no button to an outside service.
/// </summary>
public sealed class ApiReferenceBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Docs_page_lists_the_operations_with_no_request_to_another_host_and_no_outside_integrations()
    {
        var browser = chromium.Require();
        await using var host = new SfcTestHost().WithKestrel();
        await host.StartAsync();
        var service = new Uri(host.BaseUrl);

        var outside = new ConcurrentQueue<string>();
        var served = new ConcurrentQueue<string>();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = true });
        try
        {
            await context.RouteAsync("**/*", async route =>
            {
                var url = new Uri(route.Request.Url);
                if (url.Scheme is "data" or "blob" || (url.Host == service.Host && url.Port == service.Port))
                {
                    served.Enqueue(route.Request.Url);
                    await route.ContinueAsync();
                }
                else
                {
                    outside.Enqueue(route.Request.Url);
                    await route.AbortAsync("blockedbyclient");
                }
            });
            var page = await context.NewPageAsync();
            page.WebSocket += (_, ws) => outside.Enqueue(ws.Url);
            await page.GotoAsync(host.BaseUrl + "/docs", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

            // The first group's operations are listed by their summaries, and every capability's group is in the sidebar.
            await page.GetByText("Lists API keys (never their secrets).").First.WaitForAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

            var text = await page.Locator("body").InnerTextAsync();
            Assert.Contains("Creates an API key with a role", text, StringComparison.Ordinal);
            foreach (var tag in new[] { "Admin", "Jobs", "Consent", "Tracking", "Rules", "Scoring", "Rotation" })
            {
                Assert.Contains(tag, text, StringComparison.Ordinal);
            }

            Assert.Contains("SfCompanion API", await page.TitleAsync(), StringComparison.Ordinal);
            foreach (var forbidden in new[] { "Ask AI", "Deploy", "Generate SDK", "MCP" })
            {
                Assert.DoesNotContain(forbidden, text, StringComparison.Ordinal);
            }

            Assert.True(outside.IsEmpty, "requests to other hosts: " + string.Join(", ", outside));
            Assert.Contains(served, u => u.Contains("/openapi/v1.json", StringComparison.Ordinal));
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
