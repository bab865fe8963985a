using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Jobs;

public sealed class JobsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<JobRun> WaitForRunAsync(HttpClient client, string runId, Func<JobRun, bool> until)
    {
        while (true)
        {
            Ct.ThrowIfCancellationRequested();
            var run = await client.GetFromJsonAsync<JobRun>($"/api/runs/{runId}", Ct);
            if (run is not null && until(run))
            {
                return run;
            }

            await Task.Delay(50, Ct);
        }
    }

    internal static async Task<string> RunNowAsync(HttpClient client, string job)
    {
        var response = await client.PostAsync($"/api/jobs/{job}/run", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JobsApi.RunAccepted>(Ct))!;
        Assert.Equal($"/api/runs/{accepted.RunId}", response.Headers.Location?.OriginalString);
        return accepted.RunId;
    }

    [Fact]
    public async Task Invalid_cron_is_refused_naming_the_field_the_value_and_an_example()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var response = await admin.PutAsJsonAsync("/api/jobs/progress/schedule", new { cron = "*/15 * * * *", timeZone = "UTC" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("errors");
        var message = errors.GetProperty("cron")[0].GetString()!;
        Assert.Contains("*/15 * * * *", message, StringComparison.Ordinal);
        Assert.Contains(JobScheduleCalculator.ExampleCron, message, StringComparison.Ordinal);
        Assert.False(errors.TryGetProperty("timeZone", out _));
    }

    [Fact]
    public async Task Unknown_time_zone_is_refused_naming_the_field()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var response = await admin.PutAsJsonAsync("/api/jobs/progress/schedule", new { cron = "0 0 * * * ?", timeZone = "Europe/Atlantis" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("errors");
        var message = errors.GetProperty("timeZone")[0].GetString()!;
        Assert.Contains("Europe/Atlantis", message, StringComparison.Ordinal);
        Assert.Contains(JobScheduleCalculator.ExampleTimeZone, message, StringComparison.Ordinal);

        var job = await admin.GetFromJsonAsync<JobsApi.JobView>("/api/jobs/progress", Ct);
        Assert.Equal(TestJobs.FarCron, job!.Cron);
    }

    [Fact]
    public async Task Schedule_edit_pause_and_resume_show_in_the_job_view()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        var before = await admin.GetFromJsonAsync<JobsApi.JobView>("/api/jobs/failing", Ct);
        Assert.True(before!.DefaultSchedule);
        Assert.Equal("Europe/Paris", before.TimeZone);

        var put = await admin.PutAsJsonAsync("/api/jobs/failing/schedule", new { cron = "0 30 2 * * ?", timeZone = "America/New_York" }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var edited = await put.Content.ReadFromJsonAsync<JobsApi.JobView>(Ct);
        Assert.Equal("0 30 2 * * ?", edited!.Cron);
        Assert.Equal("America/New_York", edited.TimeZone);
        Assert.False(edited.DefaultSchedule);
        Assert.NotNull(edited.NextFireAt);
        var local = TimeZoneInfo.ConvertTime(edited.NextFireAt!.Value, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Equal((2, 30), (local.Hour, local.Minute));

        var paused = await (await admin.PostAsync("/api/jobs/failing/pause", null, Ct)).Content.ReadFromJsonAsync<JobsApi.JobView>(Ct);
        Assert.True(paused!.Paused);
        Assert.Null(paused.NextFireAt);
        var resumed = await (await admin.PostAsync("/api/jobs/failing/resume", null, Ct)).Content.ReadFromJsonAsync<JobsApi.JobView>(Ct);
        Assert.False(resumed!.Paused);
        Assert.Equal("0 30 2 * * ?", resumed.Cron);

        var list = await admin.GetFromJsonAsync<List<JobsApi.JobView>>("/api/jobs", Ct);
        Assert.Equal(["failing", "gated", "progress"], list!.Select(j => j.Name).Where(n => n is "failing" or "gated" or "progress"));
        Assert.Contains(list!, j => j.Name == "sync");
    }

    [Fact]
    public async Task Unknown_job_is_404_problem()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var admin = host.Admin;
        foreach (var response in new[]
        {
            await admin.GetAsync("/api/jobs/nope", Ct),
            await admin.PostAsync("/api/jobs/nope/run", null, Ct),
            await admin.PutAsJsonAsync("/api/jobs/nope/schedule", new { cron = "0 0 * * * ?", timeZone = "UTC" }, Ct),
            await admin.GetAsync("/api/runs/nope.1", Ct),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Run_now_executes_the_job_and_history_shows_progress_api_calls_and_success()
    {
        using var host = new SfcTestHost().WithTestJobs().WithRole("all");
        var client = await host.ClientAsync(SfcRoles.Marketer);
        var runId = await RunNowAsync(client, "progress");

        var run = await WaitForRunAsync(client, runId, r => JobRunStatus.IsTerminal(r.Status));
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(JobTriggers.Manual, run.Trigger);
        Assert.Equal((100L, 100L, "counting"), (run.Done, run.Total!.Value, run.Stage));
        Assert.Equal(8, run.ApiCalls);
        Assert.Equal(["a warning for the record"], run.Warnings);
        Assert.NotNull(run.StartedAt);
        Assert.True(run.EndedAt >= run.StartedAt);

        var page = await client.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/progress/runs?limit=10", Ct);
        Assert.Equal(runId, Assert.Single(page!.Items).Id);
        var job = await client.GetFromJsonAsync<JobsApi.JobView>("/api/jobs/progress", Ct);
        Assert.Equal(runId, job!.LastRun!.Id);
        Assert.Null(job.CurrentRun);

        var log = await host.Services.GetRequiredService<ILogStore>().ReadAsync(JobStore.RunLog, 0, 10, Ct);
        Assert.Contains(log, e => e.Payload.Contains(runId, StringComparison.Ordinal) && e.Payload.Contains(JobRunStatus.Succeeded, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_job_records_failed_with_the_error_and_its_progress()
    {
        using var host = new SfcTestHost().WithTestJobs().WithRole("all");
        var admin = host.Admin;
        var runId = await RunNowAsync(admin, "failing");
        var run = await WaitForRunAsync(admin, runId, r => JobRunStatus.IsTerminal(r.Status));
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Contains(run.Errors, e => e.Contains("Salesforce said no", StringComparison.Ordinal));
        Assert.Equal((3L, 10L), (run.Done, run.Total!.Value));
    }

    [Fact]
    public async Task Progress_is_visible_while_running_and_a_second_run_now_is_409()
    {
        using var host = new SfcTestHost().WithTestJobs().WithRole("all");
        var admin = host.Admin;
        var runId = await RunNowAsync(admin, "gated");
        await host.Probe.Started.Task.WaitAsync(Ct);

        var running = await WaitForRunAsync(admin, runId, r => r.Done == 7);
        Assert.Equal(JobRunStatus.Running, running.Status);
        Assert.Equal(70, running.Total);
        var job = await admin.GetFromJsonAsync<JobsApi.JobView>("/api/jobs/gated", Ct);
        Assert.Equal(runId, job!.CurrentRun!.Id);

        var second = await admin.PostAsync("/api/jobs/gated/run", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);

        host.Probe.OpenGate();
        var done = await WaitForRunAsync(admin, runId, r => JobRunStatus.IsTerminal(r.Status));
        Assert.Equal(JobRunStatus.Succeeded, done.Status);
        Assert.Equal(1, host.Probe.Runs);
    }

    [Fact]
    public async Task Two_concurrent_run_requests_queue_one_run()
    {
        // Web role only: the queued run waits for a worker, so the second request always meets the first.
        using var host = new SfcTestHost().WithTestJobs();
        var a = host.Admin;
        var b = host.Admin;
        var responses = await Task.WhenAll(a.PostAsync("/api/jobs/progress/run", null, Ct), b.PostAsync("/api/jobs/progress/run", null, Ct));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());

        var page = await a.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/progress/runs", Ct);
        var queued = Assert.Single(page!.Items);
        Assert.Equal(JobRunStatus.Queued, queued.Status);
    }

    [Fact]
    public async Task A_run_whose_lease_another_owner_holds_is_skipped()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var leases = host.Services.GetRequiredService<ILeaseStore>();
        Assert.True(await leases.TryAcquireAsync(JobExecutor.LeaseName("progress"), "other-replica", TimeSpan.FromMinutes(5), Ct));

        var executor = host.Services.GetRequiredService<JobExecutor>();
        var run = await executor.ExecuteAsync(new JobExecution("progress", JobTriggers.Schedule, ScheduledFireAt: DateTimeOffset.UnixEpoch.AddYears(60)), Ct);
        Assert.Equal(JobRunStatus.Skipped, run.Status);
        Assert.Contains("other-replica", run.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Probe.Runs);

        var admin = host.Admin;
        var stored = await admin.GetFromJsonAsync<JobRun>($"/api/runs/{run.Id}", Ct);
        Assert.Equal(JobRunStatus.Skipped, stored!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/jobs/progress/run", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_page_by_page()
    {
        using var host = new SfcTestHost().WithTestJobs();
        var executor = host.Services.GetRequiredService<JobExecutor>();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await executor.ExecuteAsync(new JobExecution("progress", JobTriggers.Manual), Ct)).Id);
            await Task.Delay(5, Ct);
        }

        var viewer = await host.ClientAsync(SfcRoles.Viewer);
        var first = await viewer.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/progress/runs?limit=2", Ct);
        Assert.Equal([ids[2], ids[1]], first!.Items.Select(r => r.Id));
        var second = await viewer.GetFromJsonAsync<JobsApi.RunsPage>($"/api/jobs/progress/runs?limit=2&before={first.Next}", Ct);
        Assert.Equal([ids[0]], second!.Items.Select(r => r.Id));
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/jobs/progress/runs?limit=0", Ct)).StatusCode);
    }
}
