using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Jobs;

/// <summary>
/// What the admin API does to jobs: edit schedules, pause, resume, request runs. Works from any role: changes go to the
/// store, and the worker (in this process or another replica) applies them.
/// </summary>
public sealed class JobControl(JobStore store, ILeaseStore leases, TimeProvider time, JobSignals signals, IOptions<JobsOptions> options)
{
    /// <summary>Validates and saves a new schedule. Returns the problems per field when invalid (nothing saved).</summary>
    public async Task<(JobSchedule? Schedule, IReadOnlyDictionary<string, string[]> Errors)> SetScheduleAsync(JobDefinition job, string? cron, string? timeZone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        var errors = JobScheduleCalculator.Validate(cron, timeZone, now);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var current = await store.GetScheduleAsync(job, cancellationToken);
        var schedule = current with { Cron = cron!.Trim(), TimeZone = timeZone!.Trim(), UpdatedAt = now };
        await store.SaveScheduleAsync(schedule, cancellationToken);
        await ResetBaselineAsync(job.Name, now, cancellationToken);
        signals.Wake();
        return (schedule, errors);
    }

    public async Task<JobSchedule> SetPausedAsync(JobDefinition job, bool paused, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var now = time.GetUtcNow();
        var schedule = await store.GetScheduleAsync(job, cancellationToken) with { Paused = paused, UpdatedAt = now };
        await store.SaveScheduleAsync(schedule, cancellationToken);
        if (!paused)
        {
            // Fire times that passed while paused are not "missed": resuming starts from now.
            await ResetBaselineAsync(job.Name, now, cancellationToken);
        }

        signals.Wake();
        return schedule;
    }

    private async Task ResetBaselineAsync(string job, DateTimeOffset now, CancellationToken cancellationToken) =>
        await store.UpdateStateAsync(job, s => s with { LastScheduledFireAt = now }, cancellationToken);

    /// <summary>
    /// Queues a manual run for a worker. Refused (with the reason) when a run is in progress or already queued, so two
    /// concurrent requests make one run: the queue slot is taken with an optimistic write.
    /// </summary>
    public async Task<RunRequestResult> RequestRunAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (await leases.GetHolderAsync(JobExecutor.LeaseName(job.Name), cancellationToken) is { } holder)
        {
            var state = await store.GetStateAsync(job.Name, cancellationToken);
            return new RunRequestResult(null, $"Job '{job.Name}' is running (run {state.RunningRunId ?? "?"}, on {holder}); wait for it to finish.");
        }

        var now = time.GetUtcNow();
        var runId = JobStore.NewRunId(job.Name, now);
        var staleBefore = now - TimeSpan.FromSeconds(options.Value.QueuedRunTimeoutSeconds);
        // The run document exists before the queue slot points at it, so a worker never claims a run it cannot read.
        var run = new JobRun { Id = runId, Job = job.Name, Trigger = JobTriggers.Manual, Status = JobRunStatus.Queued, QueuedAt = now };
        await store.SaveRunAsync(run, cancellationToken);
        string? conflict = null;
        string? replaced = null;
        await store.UpdateStateAsync(job.Name, s =>
        {
            if (s.QueuedRunId is not null && s.QueuedAt > staleBefore)
            {
                conflict = $"A run of '{job.Name}' is already queued (run {s.QueuedRunId}, since {s.QueuedAt:O}); a worker will start it shortly.";
                return null;
            }

            conflict = null;
            replaced = s.QueuedRunId;
            return s with { QueuedRunId = runId, QueuedAt = now };
        }, cancellationToken);

        if (conflict is not null)
        {
            await store.DeleteRunAsync(runId, CancellationToken.None);
            return new RunRequestResult(null, conflict);
        }

        if (replaced is not null && await store.GetRunAsync(replaced, cancellationToken) is { Status: JobRunStatus.Queued } stale)
        {
            await store.SaveFinishedRunAsync(stale with
            {
                Status = JobRunStatus.Abandoned,
                EndedAt = now,
                Message = "No worker picked this run up in time (is a process with Hosting:Role 'all' or 'worker' running?).",
            }, cancellationToken);
        }

        signals.Wake();
        return new RunRequestResult(run, null);
    }
}
