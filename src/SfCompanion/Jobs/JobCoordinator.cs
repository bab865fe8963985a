using SfCompanion.Storage;

namespace SfCompanion.Jobs;

/// <summary>A run to start right away (catch-up at start, or a run queued through the API).</summary>
public sealed record PendingRun(string Job, string Trigger, string? RunId, DateTimeOffset? ScheduledFireAt);

/// <summary>
/// The worker's decisions, apart from Quartz timing: runs left Running by a crashed process are marked Abandoned once
/// their lease expired (at start and at every poll); at start, missed schedules give one catch-up run each; while running,
/// queued runs are found. Tests call it directly.
/// </summary>
public sealed class JobCoordinator(JobCatalog catalog, JobStore store, ILeaseStore leases, TimeProvider time)
{
    /// <summary>Marks Running runs whose lease is no longer held by their owner as Abandoned (at start: no run of this process exists yet).</summary>
    public Task<IReadOnlyList<JobRun>> MarkAbandonedRunsAsync(CancellationToken cancellationToken = default) => MarkAbandonedRunsAsync(null, cancellationToken);

    /// <summary>
    /// Marks Running runs whose lease is no longer held by their owner as Abandoned. Returns them. Called at start and at
    /// every poll: a worker restarted before the killed run's lease expired finds it still held at start.
    /// </summary>
    /// <param name="liveOwner">This process's instance id while it runs jobs: its own runs end through their executor
    /// (a run that lost its lease records its cancellation), so they are left alone.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    public async Task<IReadOnlyList<JobRun>> MarkAbandonedRunsAsync(string? liveOwner, CancellationToken cancellationToken = default)
    {
        var abandoned = new List<JobRun>();
        foreach (var run in await store.FindRunsAsync(JobRunStatus.Running, cancellationToken))
        {
            if (liveOwner is not null && run.Owner == liveOwner)
            {
                continue;
            }

            var holder = await leases.GetHolderAsync(JobExecutor.LeaseName(run.Job), cancellationToken);
            if (holder is not null && holder == run.Owner)
            {
                // Still running on a live replica (its lease is being renewed).
                continue;
            }

            // Read again now that the lease is seen free: a run that finished meanwhile recorded its end before releasing it.
            if (await store.GetRunAsync(run.Id, cancellationToken) is not { Status: JobRunStatus.Running } current)
            {
                continue;
            }

            var marked = current with
            {
                Status = JobRunStatus.Abandoned,
                EndedAt = time.GetUtcNow(),
                Message = "The process running this job stopped before recording an end (crash or kill); its lease expired.",
            };
            await store.SaveFinishedRunAsync(marked, cancellationToken);
            await store.UpdateStateAsync(run.Job, s => s.RunningRunId == run.Id ? s with { RunningRunId = null, LastRunId = run.Id } : null, cancellationToken);
            abandoned.Add(marked);
        }

        return abandoned;
    }

    /// <summary>
    /// For every job whose schedule fired while no worker ran, one catch-up run (however many fire times were missed);
    /// records the latest missed fire time as handled. Jobs seen for the first time get "now" as their baseline.
    /// </summary>
    public async Task<IReadOnlyList<PendingRun>> PlanCatchUpAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var runs = new List<PendingRun>();
        foreach (var job in catalog.Jobs)
        {
            var schedule = await store.GetScheduleAsync(job, cancellationToken);
            var state = await store.GetStateAsync(job.Name, cancellationToken);
            var decision = JobScheduleCalculator.DecideCatchUp(schedule, state.LastScheduledFireAt, now);
            if (decision.RunOnce)
            {
                var claimed = await store.UpdateStateAsync(job.Name, s => s.LastScheduledFireAt == state.LastScheduledFireAt ? s with { LastScheduledFireAt = decision.LastMissedAt } : null, cancellationToken);
                if (claimed is not null)
                {
                    runs.Add(new PendingRun(job.Name, JobTriggers.CatchUp, null, decision.LastMissedAt));
                }
            }
            else if (state.LastScheduledFireAt is null || schedule.Paused)
            {
                await store.UpdateStateAsync(job.Name, s => s.LastScheduledFireAt is null || schedule.Paused ? s with { LastScheduledFireAt = now } : null, cancellationToken);
            }
        }

        return runs;
    }

    /// <summary>Runs queued through the API and waiting for a worker.</summary>
    public async Task<IReadOnlyList<PendingRun>> FindQueuedRunsAsync(CancellationToken cancellationToken = default)
    {
        var runs = new List<PendingRun>();
        foreach (var job in catalog.Jobs)
        {
            if ((await store.GetStateAsync(job.Name, cancellationToken)).QueuedRunId is { } runId)
            {
                runs.Add(new PendingRun(job.Name, JobTriggers.Manual, runId, null));
            }
        }

        return runs;
    }
}
