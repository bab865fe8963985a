using Microsoft.Playwright;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Writeback;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The writeback page in a real browser: pending values, values Salesforce refused, requeue and discard, roles.</summary>
public sealed class WritebackConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>A lead the org deleted after a score was queued for it: the writeback sends it and Salesforce refuses it.</summary>
    private static async Task<string> RefusedLeadAsync(SfcTestHost host, string company)
    {
        var id = host.Emulator.Data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = "Refused", ["Company"] = company });
        host.Emulator.Data.Delete(id);
        await host.Get<Outbox>().EnqueueAsync([new DesiredValue("Lead", id, "Sfc_Score__c", 42m, "scoring", "test")], Ct);
        var result = await host.Get<WritebackService>().RunAsync(cancellationToken: Ct);
        Assert.Equal(1, result.DeadLettered);
        return id;
    }

    [Fact]
    public async Task Admin_requeues_a_refused_record_and_sees_it_pending_then_discards_another()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var requeued = await RefusedLeadAsync(host, "Requeue Ltd");
        var discarded = await RefusedLeadAsync(host, "Discard Ltd");
        var outbox = host.Get<Outbox>();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/writeback");
            var dead = page.Locator("#dead-table");
            var row = dead.Locator("tr", new() { HasText = requeued });
            var text = await row.InnerTextAsync();
            Assert.Contains("ENTITY_IS_DELETED", text, StringComparison.Ordinal);
            Assert.Contains("Sfc_Score__c = 42", text, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#pending-table").CountAsync());

            await page.GetByRole(AriaRole.Button, new() { Name = $"Requeue Lead/{requeued}" }).ClickAsync();
            await Assertions.Expect(page.Locator("#action-notice")).ToContainTextAsync($"Lead/{requeued} is back in the outbox");
            Assert.Equal(0, await dead.Locator("tr", new() { HasText = requeued }).CountAsync());
            Assert.Contains("Sfc_Score__c = 42", await page.Locator("#pending-table tr", new() { HasText = requeued }).InnerTextAsync(), StringComparison.Ordinal);
            Assert.NotNull(await outbox.GetAsync("Lead", requeued, Ct));

            var dialogs = 0;
            page.Dialog += (_, dialog) =>
            {
                dialogs++;
                _ = dialog.AcceptAsync();
            };
            await page.GetByRole(AriaRole.Button, new() { Name = $"Discard Lead/{discarded}" }).ClickAsync();
            await Assertions.Expect(page.Locator("#action-notice")).ToContainTextAsync($"Lead/{discarded} is discarded");
            Assert.Equal(1, dialogs);
            Assert.Equal(0, await outbox.CountDeadAsync(Ct));
            Assert.Null(await outbox.GetAsync("Lead", discarded, Ct));
            await Assertions.Expect(page.Locator("#dead-empty")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Pending_values_page_with_next()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var outbox = host.Get<Outbox>();
        var values = Enumerable.Range(0, 60).Select(i => new DesiredValue("Lead", $"00Q{i:D12}AAA", "Sfc_Score__c", (decimal)i, "scoring")).ToList();
        await outbox.EnqueueAsync(values, Ct);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/writeback");
            Assert.Equal(SfCompanion.WebConsole.Components.Pages.Writeback.PageSize, await page.Locator("#pending-table tbody tr").CountAsync());
            await page.Locator("#pending-next").ClickAsync();
            Assert.Equal(60 - SfCompanion.WebConsole.Components.Pages.Writeback.PageSize, await page.Locator("#pending-table tbody tr").CountAsync());
            Assert.Contains("00Q000000000059AAA", await page.Locator("#pending-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#pending-next").CountAsync());
        });
    }

    [Fact]
    public async Task Viewer_posting_requeue_discard_or_write_back_now_gets_403_and_nothing_changes()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var id = await RefusedLeadAsync(host, "Viewer Ltd");
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        var outbox = host.Get<Outbox>();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, viewerKey);
            await page.GotoAsync(host.BaseUrl + "/console/writeback");
            Assert.Contains(id, await page.Locator("#dead-table").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("#dead-table button").CountAsync());
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Write back now" }).CountAsync());

            foreach (var (form, fields) in new (string, Dictionary<string, string>)[]
            {
                ("dead-letters", new() { ["Requeue"] = "Lead/" + id }),
                ("dead-letters", new() { ["Discard"] = "Lead/" + id }),
                ("job-actions", new() { ["RunJob"] = WritebackJob.Name }),
            })
            {
                var response = await PostFormAsync(page, "/console/writeback", form, fields);
                Assert.True(response.Status == 403, $"{form} {string.Join(",", fields.Keys)}: {response.Status}");
            }

            Assert.Equal(1, await outbox.CountDeadAsync(Ct));
            Assert.Equal(0, await outbox.CountAsync(Ct));
            Assert.Null((await host.Get<JobStore>().GetStateAsync(WritebackJob.Name, Ct)).QueuedRunId);
        });
    }

    [Fact]
    public async Task Writeback_page_passes_axe_in_english_and_french()
    {
        await using var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        await RefusedLeadAsync(host, "Axe Ltd");
        await host.Get<Outbox>().EnqueueAsync([new DesiredValue("Lead", "00Q000000000001AAA", "Sfc_Score__c", 7m, "scoring")], Ct);
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/writeback");
                Assert.Equal(locale == "fr-FR" ? "Écriture" : "Writeback", await page.Locator("h1").InnerTextAsync());
                Assert.Equal(1, await page.Locator("#pending-table tbody tr").CountAsync());
                Assert.Equal(1, await page.Locator("#dead-table tbody tr").CountAsync());
                await AssertAccessibleAsync(page);
            }, "Writeback_page_" + locale);
        }
    }
}
