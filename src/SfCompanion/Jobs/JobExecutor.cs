using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Jobs;

/// <summary>
/// Runs one job execution: takes the lease <c>job:{name}</c> (one run at a time across replicas), records the run,
/// renews the lease and persists progress while the job runs, records the outcome and releases the lease.
/// Independent of Quartz, so tests call it directly.
/// </summary>
public sealed partial class JobExecutor(
    JobCatalog catalog,
    JobStore store,
    ILeaseStore leases,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<JobsOptions> options,
    JobsInstance instance,
    IHostApplicationLifetime lifetime,
    ILogger<JobExecutor> logger)
{
    public static string LeaseName(string job) => "job:" + job;

    public async Task<JobRun> ExecuteAsync(JobExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var definition = catalog.Find(execution.Job) ?? throw new InvalidOperationException($"No job is registered with the name '{execution.Job}'.");
        var now = time.GetUtcNow();
        if (execution.Trigger == JobTriggers.Schedule && execution.ScheduledFireAt is { } fire)
        {
            await store.UpdateStateAsync(definition.Name, s => s.LastScheduledFireAt >= fire ? null : s with { LastScheduledFireAt = fire }, cancellationToken);
        }

        var runId = execution.RunId ?? JobStore.NewRunId(definition.Name, now);
        if (execution.RunId is not null && !await ClaimQueuedAsync(definition.Name, runId, cancellationToken))
        {
            // Another worker picked this queued run up first.
            return await store.GetRunAsync(runId, cancellationToken) ?? throw new InvalidOperationException($"Run {runId} is not queued any more.");
        }

        var queued = execution.RunId is null ? null : await store.GetRunAsync(runId, cancellationToken);
        var run = new JobRun
        {
            Id = runId,
            Job = definition.Name,
            Trigger = execution.Trigger,
            Status = JobRunStatus.Running,
            QueuedAt = queued?.QueuedAt,
            ScheduledFireAt = execution.ScheduledFireAt,
            StartedAt = now,
            Owner = instance.Id,
        };

        var jobsOptions = options.Value;
        var lease = LeaseName(definition.Name);
        if (!await leases.TryAcquireAsync(lease, instance.Id, TimeSpan.FromSeconds(jobsOptions.LeaseSeconds), cancellationToken))
        {
            var holder = await leases.GetHolderAsync(lease, cancellationToken);
            run = run with
            {
                Status = JobRunStatus.Skipped,
                EndedAt = time.GetUtcNow(),
                Message = $"Another run of '{definition.Name}' is in progress (lease held by {holder ?? "another process"}).",
            };
            await store.SaveFinishedRunAsync(run, CancellationToken.None);
            LogSkipped(logger, definition.Name, run.Id, execution.Trigger);
            return run;
        }

        try
        {
            return await RunWithLeaseAsync(definition, run, lease, cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(lease, instance.Id, CancellationToken.None);
        }
    }

    private async Task<bool> ClaimQueuedAsync(string job, string runId, CancellationToken cancellationToken) =>
        await store.UpdateStateAsync(job, s => s.QueuedRunId == runId ? s with { QueuedRunId = null, QueuedAt = null } : null, cancellationToken) is not null;

    private async Task<JobRun> RunWithLeaseAsync(JobDefinition definition, JobRun run, string lease, CancellationToken cancellationToken)
    {
        await store.SaveRunAsync(run, CancellationToken.None);
        await store.UpdateStateAsync(definition.Name, s => s with { RunningRunId = run.Id }, CancellationToken.None);
        LogStarted(logger, definition.Name, run.Id, run.Trigger);

        var context = new JobRunContext(run.Id, definition.Name, run.Trigger, run.ScheduledFireAt);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        using var heartbeatStop = new CancellationTokenSource();
        var writes = new SemaphoreSlim(1, 1);
        var heartbeat = HeartbeatAsync(run, context, lease, writes, stop, heartbeatStop.Token);
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var job = (ISfcJob)scope.ServiceProvider.GetRequiredService(definition.JobType);
                await job.RunAsync(context, stop.Token);
            }

            run = run with { Status = JobRunStatus.Succeeded };
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            run = run with
            {
                Status = JobRunStatus.Cancelled,
                Message = lifetime.ApplicationStopping.IsCancellationRequested ? "The process is shutting down." : "The run was cancelled (or its lease was lost).",
            };
        }
        catch (Exception ex)
        {
            context.Error($"{ex.GetType().Name}: {ex.Message}");
            run = run with { Status = JobRunStatus.Failed, Message = ex.Message };
            LogFailed(logger, ex, definition.Name, run.Id);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }

        await writes.WaitAsync(CancellationToken.None);
        try
        {
            run = context.ApplyTo(run, out _) with { EndedAt = time.GetUtcNow() };
            await store.SaveFinishedRunAsync(run, CancellationToken.None);
            await store.UpdateStateAsync(definition.Name, s => s with { RunningRunId = s.RunningRunId == run.Id ? null : s.RunningRunId, LastRunId = run.Id }, CancellationToken.None);
        }
        finally
        {
            writes.Release();
            writes.Dispose();
        }

        LogFinished(logger, definition.Name, run.Id, run.Status, run.Done, run.ApiCalls);
        return run;
    }

    /// <summary>Writes progress when it changed (at most once per flush interval) and renews the lease; a lost lease cancels the run.</summary>
    private async Task HeartbeatAsync(JobRun run, JobRunContext context, string lease, SemaphoreSlim writes, CancellationTokenSource stopRun, CancellationToken cancellationToken)
    {
        var jobsOptions = options.Value;
        var renewEvery = TimeSpan.FromSeconds(jobsOptions.LeaseRenewSeconds);
        var lastRenew = time.GetUtcNow();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(jobsOptions.ProgressFlushMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await BeatAsync())
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store hiccup must not kill the run; the next beat retries and the final write records the outcome.
                    LogHeartbeatFailed(logger, ex, run.Job, run.Id);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run ended.
        }

        async Task<bool> BeatAsync()
        {
            await writes.WaitAsync(cancellationToken);
            try
            {
                var current = context.ApplyTo(run, out var changed);
                if (changed)
                {
                    await store.SaveRunAsync(current, cancellationToken);
                }
            }
            finally
            {
                writes.Release();
            }

            if (time.GetUtcNow() - lastRenew < renewEvery)
            {
                return true;
            }

            if (!await leases.TryAcquireAsync(lease, instance.Id, TimeSpan.FromSeconds(jobsOptions.LeaseSeconds), cancellationToken))
            {
                context.Warn("The run lost its lease (the store was unreachable or the lease expired) and was stopped so that two runs never overlap.");
                await stopRun.CancelAsync();
                return false;
            }

            lastRenew = time.GetUtcNow();
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} started ({Trigger}).")]
    private static partial void LogStarted(ILogger logger, string job, string runId, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} {Status}: {Done} done, {ApiCalls} API calls.")]
    private static partial void LogFinished(ILogger logger, string job, string runId, string status, long done, long apiCalls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} run {RunId} ({Trigger}) skipped: another run holds the lease.")]
    private static partial void LogSkipped(ILogger logger, string job, string runId, string trigger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} run {RunId} failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} run {RunId}: progress or lease renewal failed; the run goes on.")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string job, string runId);
}
