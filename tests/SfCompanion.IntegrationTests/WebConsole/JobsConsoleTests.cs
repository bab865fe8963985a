using System.Globalization;
using Microsoft.Playwright;
using CronExpression = Quartz.CronExpression;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.Jobs;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>The jobs pages in a real browser: a run followed live, schedules checked and saved, roles enforced, accessibility.</summary>
public sealed class JobsConsoleTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions Patient = new() { Timeout = 30_000 };

    private static async Task<JobSchedule> ScheduleAsync(SfcTestHost host, string job) =>
        await host.Get<JobStore>().GetScheduleAsync(host.Get<JobCatalog>().Find(job)!, Ct);

    [Fact]
    public async Task Marketer_runs_a_job_from_the_page_and_watches_its_progress_until_it_succeeds()
    {
        await using var host = await new SfcTestHost().WithTestJobs().WithRole("all").WithKestrel().StartAsync();
        var marketerKey = await host.CreateKeyAsync(SfcRoles.Marketer);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, marketerKey);
            await page.GotoAsync(host.BaseUrl + "/console/jobs");
            var row = page.Locator("#job-gated");
            await Assertions.Expect(row.Locator("[data-live=state]")).ToHaveTextAsync("Idle");
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Pause gated" }).CountAsync());

            await page.GetByRole(AriaRole.Button, new() { Name = "Run now: gated" }).ClickAsync();
            await Assertions.Expect(page.Locator("#action-notice")).ToContainTextAsync("Run of gated requested");

            // The script follows the run: progress and stage as the job reports them, while it waits for the gate.
            await Assertions.Expect(row.Locator("[data-live=progress]")).ToContainTextAsync("7 / 70 · waiting for the gate", Patient);
            await Assertions.Expect(row.Locator("[data-live=state]")).ToHaveTextAsync("Running");
            Assert.Equal(7, await row.Locator("progress").EvaluateAsync<int>("p => p.value"));
            Assert.Equal(70, await row.Locator("progress").EvaluateAsync<int>("p => p.max"));

            host.Probe.OpenGate();
            await Assertions.Expect(row.Locator("[data-live=last-run]")).ToContainTextAsync("Succeeded", Patient);
            await Assertions.Expect(row.Locator("[data-live=state]")).ToHaveTextAsync("Idle");
            Assert.True(await row.Locator("[data-live=progress-box]").IsHiddenAsync());
            Assert.Equal("false", await row.GetAttributeAsync("data-active"));
            Assert.Equal(1, host.Probe.Runs);

            await page.GetByRole(AriaRole.Link, new() { Name = "gated", Exact = true }).ClickAsync();
            var history = page.Locator("#runs-table tbody tr");
            Assert.Equal(1, await history.CountAsync());
            Assert.Contains("Succeeded", await history.First.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("70 / 70", await history.First.InnerTextAsync(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_bad_cron_is_shown_next_to_the_field_naming_the_value_and_the_schedule_stays()
    {
        await using var host = await new SfcTestHost().WithTestJobs().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/jobs/progress");
            await page.Locator("#cron").FillAsync("*/15 * * * *");

            // The live preview says it while typing...
            await Assertions.Expect(page.Locator("#cron-error")).ToContainTextAsync("cron = '*/15 * * * *'", Patient);
            Assert.Equal(0, await page.Locator("#fire-times li").CountAsync());

            // ...and saving is refused by the server with the same message, next to the field.
            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync(),
                r => r.Request.Method == "POST");
            Assert.Equal(400, response.Status);
            await Assertions.Expect(page.Locator("#cron-error")).ToContainTextAsync("cron = '*/15 * * * *': not a valid Quartz cron expression");
            Assert.Contains("*/15 * * * *", await page.Locator("#schedule-error").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("true", await page.Locator("#cron").GetAttributeAsync("aria-invalid"));
            Assert.Equal("*/15 * * * *", await page.Locator("#cron").InputValueAsync());

            var schedule = await ScheduleAsync(host, "progress");
            Assert.Equal(TestJobs.FarCron, schedule.Cron);
            Assert.Null(schedule.UpdatedAt);
            Assert.Equal(TestJobs.FarCron, await page.Locator("#job-cron").InnerTextAsync());
        });
    }

    [Fact]
    public async Task The_next_five_fire_times_in_a_non_utc_zone_match_quartz_and_saving_applies_them()
    {
        const string Cron = "0 30 9 ? * MON-FRI";
        const string Zone = "America/New_York";
        await using var host = await new SfcTestHost().WithTestJobs().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/jobs/failing");
            await page.Locator("#cron").FillAsync(Cron);
            await page.Locator("#time-zone").FillAsync(Zone);

            // Live preview (JSON endpoint) while typing.
            await Assertions.Expect(page.Locator("#fire-times-heading")).ToContainTextAsync("being edited", Patient);
            await Assertions.Expect(page.Locator("#fire-times time")).ToHaveCountAsync(5);
            Assert.Equal(Expected(), await FireTimesAsync());

            // The check button (server-rendered), nothing saved.
            await page.GetByRole(AriaRole.Button, new() { Name = "Check: next five runs" }).ClickAsync();
            await Assertions.Expect(page.Locator("#fire-times-heading")).ToContainTextAsync("(not saved)");
            Assert.Equal(Expected(), await FireTimesAsync());
            Assert.Equal(TestJobs.FarCron, (await ScheduleAsync(host, "failing")).Cron);
            Assert.Contains("(UTC-0", await page.Locator("#fire-times").InnerTextAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
            await Assertions.Expect(page.Locator("#schedule-notice")).ToContainTextAsync("Schedule saved");
            var saved = await ScheduleAsync(host, "failing");
            Assert.Equal(Cron, saved.Cron);
            Assert.Equal(Zone, saved.TimeZone);
            Assert.Equal(Expected(), await FireTimesAsync());
            Assert.Equal(Cron, await page.Locator("#job-cron").InnerTextAsync());
        });

        async Task<List<string>> FireTimesAsync()
        {
            var times = page.Locator("#fire-times time");
            var values = new List<string>();
            for (var i = 0; i < await times.CountAsync(); i++)
            {
                values.Add((await times.Nth(i).GetAttributeAsync("datetime"))!);
            }

            return values;
        }

        static List<string> Expected()
        {
            // Quartz's own computation, in the zone, written with the zone's offset.
            var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
            var expression = new CronExpression(Cron).WithTimeZone(zone);
            var times = new List<string>();
            for (var t = expression.GetNextValidTimeAfter(DateTimeOffset.UtcNow); t is { } fire && times.Count < 5; t = expression.GetNextValidTimeAfter(fire))
            {
                times.Add(TimeZoneInfo.ConvertTime(fire, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            }

            return times;
        }
    }

    [Fact]
    public async Task Viewer_sees_no_actions_and_posting_run_pause_resume_or_schedule_gets_403_and_changes_nothing()
    {
        await using var host = await new SfcTestHost().WithTestJobs().WithKestrel().StartAsync();
        var viewerKey = await host.CreateKeyAsync(SfcRoles.Viewer);
        await host.Get<JobControl>().SetPausedAsync(host.Get<JobCatalog>().Find("failing")!, true, Ct);
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, viewerKey);
            await page.GotoAsync(host.BaseUrl + "/console/jobs");
            Assert.Equal(0, await page.Locator("#jobs-table button").CountAsync());
            await page.GotoAsync(host.BaseUrl + "/console/jobs/progress");
            Assert.Equal(0, await page.Locator("#cron").CountAsync());

            var posts = new (string Path, string Form, Dictionary<string, string> Fields)[]
            {
                ("/console/jobs", "job-actions", new() { ["RunJob"] = "progress" }),
                ("/console/jobs", "job-actions", new() { ["PauseJob"] = "progress" }),
                ("/console/jobs", "job-actions", new() { ["ResumeJob"] = "failing" }),
                ("/console/jobs/progress", "job-actions", new() { ["RunJob"] = "progress" }),
                ("/console/jobs/progress", "schedule", new() { ["Cron"] = "0 0 * * * ?", ["TimeZone"] = "UTC", ["Intent"] = "save" }),
            };
            foreach (var (path, form, fields) in posts)
            {
                var response = await PostFormAsync(page, path, form, fields);
                Assert.True(response.Status == 403, $"{form} {string.Join(",", fields.Keys)} on {path}: {response.Status}");
            }

            var preview = await page.Context.APIRequest.GetAsync(host.BaseUrl + "/console/api/jobs/progress/fire-times?cron=0+0+*+*+*+%3F&timeZone=UTC");
            Assert.Equal(403, preview.Status);

            var progress = await ScheduleAsync(host, "progress");
            Assert.Equal(TestJobs.FarCron, progress.Cron);
            Assert.False(progress.Paused);
            Assert.True((await ScheduleAsync(host, "failing")).Paused);
            var state = await host.Get<JobStore>().GetStateAsync("progress", Ct);
            Assert.Null(state.QueuedRunId);
            Assert.Empty((await host.Get<JobStore>().ListRunsAsync("progress", 10, null, Ct)).Runs);
        });
    }

    [Fact]
    public async Task Admin_pauses_and_resumes_a_job_from_the_page()
    {
        await using var host = await new SfcTestHost().WithTestJobs().WithKestrel().StartAsync();
        var page = await OpenAsync(chromium);
        await WithScreenshotAsync(page, async () =>
        {
            await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
            await page.GotoAsync(host.BaseUrl + "/console/jobs");
            await page.GetByRole(AriaRole.Button, new() { Name = "Pause progress" }).ClickAsync();
            await Assertions.Expect(page.Locator("#job-progress [data-live=next-fire]")).ToHaveTextAsync("paused");
            Assert.True((await ScheduleAsync(host, "progress")).Paused);

            await page.GetByRole(AriaRole.Button, new() { Name = "Resume progress" }).ClickAsync();
            await Assertions.Expect(page.Locator("#job-progress [data-live=next-fire]")).ToContainTextAsync("UTC");
            Assert.False((await ScheduleAsync(host, "progress")).Paused);
        });
    }

    [Fact]
    public async Task Jobs_pages_pass_axe_in_english_and_french()
    {
        await using var host = await new SfcTestHost().WithTestJobs().WithRole("all").WithKestrel().StartAsync();
        var run = await host.Get<JobControl>().RequestRunAsync(host.Get<JobCatalog>().Find("progress")!, Ct);
        await JobsApiTests.WaitForRunAsync(host.Admin, run.Run!.Id, r => JobRunStatus.IsTerminal(r.Status));
        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await OpenAsync(chromium, locale);
            await WithScreenshotAsync(page, async () =>
            {
                await SignInWithKeyAsync(page, host, SfcTestHost.AdminKey);
                await page.GotoAsync(host.BaseUrl + "/console/jobs");
                Assert.Equal(locale == "fr-FR" ? "Tâches" : "Jobs", await page.Locator("h1").InnerTextAsync());
                await AssertAccessibleAsync(page);

                await page.GotoAsync(host.BaseUrl + "/console/jobs/progress");
                Assert.Contains("a warning for the record", await page.Locator("#runs-table").InnerTextAsync(), StringComparison.Ordinal);
                await AssertAccessibleAsync(page);

                await page.Locator("#cron").FillAsync("not a cron");
                await page.GetByRole(AriaRole.Button, new() { Name = locale == "fr-FR" ? "Vérifier : cinq prochaines exécutions" : "Check: next five runs" }).ClickAsync();
                await Assertions.Expect(page.Locator("#schedule-error")).ToBeVisibleAsync();
                await AssertAccessibleAsync(page);
            }, "Jobs_pages_pass_axe_" + locale);
        }
    }
}
