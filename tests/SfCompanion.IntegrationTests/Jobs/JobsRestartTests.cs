using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Jobs;

/// <summary>Stops and starts the service over one data directory: catch-up, abandoned runs, shutdown mid-run.</summary>
public sealed class JobsRestartTests : IDisposable
{
    private readonly TestDirectory _directory = new("sfc-jobs-restart-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Five_missed_fire_times_give_exactly_one_catch_up_run_at_start()
    {
        // Far in the future so the real clock Quartz runs on never reaches these fire times during the test.
        var time = new FakeTimeProvider(new DateTimeOffset(2099, 1, 5, 10, 0, 0, TimeSpan.Zero));
        const string hourly = "0 0 * * * ? 2099";
        using (var before = new SfcTestHost(_directory.Path).WithTestJobs().WithFakeClock(time))
        {
            var admin = before.Admin;
            (await admin.PutAsJsonAsync("/api/jobs/progress/schedule", new { cron = hourly, timeZone = "UTC" }, Ct)).EnsureSuccessStatusCode();
        }

        // Down from 10:00 to 15:30: 11:00, 12:00, 13:00, 14:00 and 15:00 were missed.
        time.Advance(TimeSpan.FromHours(5.5));
        using var after = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all").WithFakeClock(time);
        var client = after.Admin;
        JobsApi.RunsPage page;
        do
        {
            await Task.Delay(50, Ct);
            page = (await client.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/progress/runs", Ct))!;
        }
        while (page.Items.Count == 0 || !JobRunStatus.IsTerminal(page.Items[0].Status));

        var run = Assert.Single(page.Items);
        Assert.Equal(JobTriggers.CatchUp, run.Trigger);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(new DateTimeOffset(2099, 1, 5, 15, 0, 0, TimeSpan.Zero), run.ScheduledFireAt);
        Assert.Equal(1, after.Probe.Runs);
        var state = await after.Services.GetRequiredService<JobStore>().GetStateAsync("progress", Ct);
        Assert.Equal(run.ScheduledFireAt, state.LastScheduledFireAt);
        Assert.Empty((await client.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/failing/runs", Ct))!.Items);
    }

    [Fact]
    public async Task An_edited_schedule_fires_in_the_running_worker_without_restart()
    {
        // Quartz reads the host's clock, so advancing the fake clock makes the new schedule fire.
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 3, 3, 8, 0, 5, TimeSpan.Zero));
        using var host = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all").WithFakeClock(time);
        var admin = host.Admin;
        (await admin.PutAsJsonAsync("/api/jobs/progress/schedule", new { cron = "0 * * * * ?", timeZone = "UTC" }, Ct)).EnsureSuccessStatusCode();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        JobRun? scheduled = null;
        while (scheduled is null)
        {
            await Task.Delay(50, timeout.Token);
            // Small steps stay within Quartz's misfire threshold, whenever the worker applies the new trigger.
            time.Advance(TimeSpan.FromSeconds(10));
            var page = await admin.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/progress/runs", timeout.Token);
            scheduled = page!.Items.FirstOrDefault(r => r.Trigger == JobTriggers.Schedule && JobRunStatus.IsTerminal(r.Status));
        }

        Assert.Equal(JobRunStatus.Succeeded, scheduled.Status);
        Assert.Equal(0, scheduled.ScheduledFireAt!.Value.Second);
        var state = await host.Services.GetRequiredService<JobStore>().GetStateAsync("progress", Ct);
        Assert.True(state.LastScheduledFireAt >= scheduled.ScheduledFireAt);
    }

    [Fact]
    public async Task A_run_left_running_by_a_crashed_process_is_marked_abandoned_at_start()
    {
        string runId;
        using (var before = new SfcTestHost(_directory.Path).WithTestJobs())
        {
            var store = before.Services.GetRequiredService<JobStore>();
            runId = JobStore.NewRunId("progress", DateTimeOffset.UtcNow);
            await store.SaveRunAsync(new JobRun { Id = runId, Job = "progress", Trigger = JobTriggers.Schedule, Status = JobRunStatus.Running, StartedAt = DateTimeOffset.UtcNow, Done = 5, Owner = "crashed-process" }, Ct);
            await store.UpdateStateAsync("progress", s => s with { RunningRunId = runId }, Ct);
        }

        using var after = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all");
        var client = after.Admin;
        var run = await JobsApiTests.WaitForRunAsync(client, runId, r => r.Status != JobRunStatus.Running);
        Assert.Equal(JobRunStatus.Abandoned, run.Status);
        Assert.Equal(5, run.Done);
        Assert.NotNull(run.EndedAt);
        var job = await client.GetFromJsonAsync<JobsApi.JobView>("/api/jobs/progress", Ct);
        Assert.Null(job!.CurrentRun);
        Assert.Equal(runId, job.LastRun!.Id);
    }

    [Fact]
    public async Task Running_run_is_abandoned_only_once_its_owners_lease_has_expired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 8, 0, 0, TimeSpan.Zero));
        using var host = new SfcTestHost(_directory.Path).WithTestJobs().WithFakeClock(time);
        var store = host.Services.GetRequiredService<JobStore>();
        var leases = host.Services.GetRequiredService<ILeaseStore>();
        var coordinator = host.Services.GetRequiredService<JobCoordinator>();
        var runId = JobStore.NewRunId("gated", time.GetUtcNow());
        await store.SaveRunAsync(new JobRun { Id = runId, Job = "gated", Trigger = JobTriggers.Manual, Status = JobRunStatus.Running, StartedAt = time.GetUtcNow(), Owner = "replica-2" }, Ct);
        Assert.True(await leases.TryAcquireAsync(JobExecutor.LeaseName("gated"), "replica-2", TimeSpan.FromSeconds(60), Ct));

        Assert.Empty(await coordinator.MarkAbandonedRunsAsync(Ct));
        Assert.Equal(JobRunStatus.Running, (await store.GetRunAsync(runId, Ct))!.Status);

        time.Advance(TimeSpan.FromSeconds(61));
        var abandoned = Assert.Single(await coordinator.MarkAbandonedRunsAsync(Ct));
        Assert.Equal(runId, abandoned.Id);
        Assert.Equal(JobRunStatus.Abandoned, (await store.GetRunAsync(runId, Ct))!.Status);
    }

    [Fact]
    public async Task A_run_of_a_process_killed_and_restarted_within_its_lease_is_abandoned_once_the_lease_expires()
    {
        // The worker restarted while the killed run's lease was still held: nothing to mark at start, so the poll does it.
        var time = new FakeTimeProvider(new DateTimeOffset(2033, 4, 4, 9, 0, 0, TimeSpan.Zero));
        using var host = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all").WithFakeClock(time);
        var store = host.Services.GetRequiredService<JobStore>();
        var leases = host.Services.GetRequiredService<ILeaseStore>();
        var runId = JobStore.NewRunId("gated", time.GetUtcNow());
        await store.SaveRunAsync(new JobRun { Id = runId, Job = "gated", Trigger = JobTriggers.Schedule, Status = JobRunStatus.Running, StartedAt = time.GetUtcNow(), Owner = "killed-process" }, Ct);
        await store.UpdateStateAsync("gated", s => s with { RunningRunId = runId }, Ct);
        Assert.True(await leases.TryAcquireAsync(JobExecutor.LeaseName("gated"), "killed-process", TimeSpan.FromSeconds(60), Ct));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var advanced = TimeSpan.Zero;
        JobRun run;
        do
        {
            await Task.Delay(50, timeout.Token);
            time.Advance(TimeSpan.FromSeconds(5));
            advanced += TimeSpan.FromSeconds(5);
            run = (await store.GetRunAsync(runId, timeout.Token))!;
        }
        while (run.Status == JobRunStatus.Running);

        Assert.Equal(JobRunStatus.Abandoned, run.Status);
        Assert.True(advanced > TimeSpan.FromSeconds(60), $"marked after {advanced.TotalSeconds} s, before the lease expired");

        // The job's state follows right after the run (a second write): it no longer names a running run.
        while ((await store.GetStateAsync("gated", timeout.Token)).RunningRunId is not null)
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(runId, (await store.GetStateAsync("gated", Ct)).LastRunId);
    }

    [Fact]
    public async Task A_run_that_loses_its_lease_stops_and_records_why()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2032, 2, 2, 12, 0, 0, TimeSpan.Zero));
        using var host = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all").WithFakeClock(time);
        var admin = host.Admin;
        var runId = await JobsApiTests.RunNowAsync(admin, "gated");
        await host.Probe.Started.Task.WaitAsync(Ct);

        // Another replica takes the lease (as if ours had expired while the store was unreachable).
        var leases = host.Services.GetRequiredService<ILeaseStore>();
        var lease = JobExecutor.LeaseName("gated");
        Assert.True(await leases.ReleaseAsync(lease, host.Services.GetRequiredService<JobsInstance>().Id, Ct));
        Assert.True(await leases.TryAcquireAsync(lease, "intruder", TimeSpan.FromMinutes(5), Ct));

        JobRun run;
        do
        {
            time.Advance(TimeSpan.FromSeconds(21));
            await Task.Delay(50, Ct);
            run = (await admin.GetFromJsonAsync<JobRun>($"/api/runs/{runId}", Ct))!;
        }
        while (!JobRunStatus.IsTerminal(run.Status));

        Assert.Equal(JobRunStatus.Cancelled, run.Status);
        Assert.Contains(run.Warnings, w => w.Contains("lost its lease", StringComparison.Ordinal));
        Assert.Equal("intruder", await leases.GetHolderAsync(lease, Ct));
    }

    [Fact]
    public async Task Shutdown_mid_run_records_cancelled_with_the_progress_made()
    {
        string runId;
        using (var host = new SfcTestHost(_directory.Path).WithTestJobs().WithRole("all"))
        {
            var admin = host.Admin;
            runId = await JobsApiTests.RunNowAsync(admin, "gated");
            await host.Probe.Started.Task.WaitAsync(Ct);
        }

        using var after = new SfcTestHost(_directory.Path).WithTestJobs();
        var client = after.Admin;
        var run = await client.GetFromJsonAsync<JobRun>($"/api/runs/{runId}", Ct);
        Assert.Equal(JobRunStatus.Cancelled, run!.Status);
        Assert.Equal((7L, 70L), (run.Done, run.Total!.Value));
        Assert.NotNull(run.EndedAt);
    }
}
