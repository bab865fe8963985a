using System.Globalization;
using Microsoft.Extensions.Options;
using Quartz;

namespace SfCompanion.Jobs;

/// <summary>
/// The worker: registers every job with Quartz, at start marks abandoned runs and starts catch-up runs, then keeps the
/// Quartz triggers equal to the schedules in the store (polled, or woken by in-process changes) and starts queued runs.
/// </summary>
internal sealed partial class JobScheduler(
    ISchedulerFactory schedulers,
    JobCatalog catalog,
    JobStore store,
    JobCoordinator coordinator,
    JobSignals signals,
    JobsInstance instance,
    TimeProvider time,
    IOptions<JobsOptions> options,
    ILogger<JobScheduler> logger) : BackgroundService
{
    internal const string Group = "sfc";
    private readonly Dictionary<string, JobSchedule> _applied = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dispatched = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        foreach (var job in catalog.Jobs)
        {
            var detail = JobBuilder.Create<SfcQuartzJob>()
                .WithIdentity(job.Name, Group)
                .WithDescription(job.Description ?? job.Name)
                .StoreDurably()
                .UsingJobData(SfcQuartzJob.JobData, job.Name)
                .Build();
            await scheduler.AddJob(detail, AddJobOptions.Replacing, stoppingToken);
        }

        var started = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!started)
                {
                    await StartUpAsync(scheduler, stoppingToken);
                    started = true;
                }
                else
                {
                    // A process killed and restarted within its lease: its runs are found here once the lease expired.
                    foreach (var run in await coordinator.MarkAbandonedRunsAsync(instance.Id, stoppingToken))
                    {
                        LogAbandoned(logger, run.Job, run.Id);
                    }
                }

                await ApplySchedulesAsync(scheduler, stoppingToken);
                await DispatchQueuedAsync(scheduler, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store may be briefly unreachable: keep the last applied schedules and try again at the next poll.
                LogPollFailed(logger, ex);
            }

            await signals.WaitAsync(TimeSpan.FromSeconds(options.Value.SchedulePollSeconds), time, stoppingToken);
        }
    }

    private async Task StartUpAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var run in await coordinator.MarkAbandonedRunsAsync(cancellationToken))
        {
            LogAbandoned(logger, run.Job, run.Id);
        }

        foreach (var run in await coordinator.PlanCatchUpAsync(cancellationToken))
        {
            var data = new JobDataMap { [SfcQuartzJob.TriggerData] = JobTriggers.CatchUp };
            if (run.ScheduledFireAt is { } fire)
            {
                data[SfcQuartzJob.ScheduledData] = fire.ToString("O", CultureInfo.InvariantCulture);
            }

            LogCatchUp(logger, run.Job, run.ScheduledFireAt);
            await scheduler.TriggerJob(new JobKey(run.Job, Group), data, cancellationToken);
        }
    }

    private async Task ApplySchedulesAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        foreach (var job in catalog.Jobs)
        {
            var schedule = await store.GetScheduleAsync(job, cancellationToken);
            if (_applied.TryGetValue(job.Name, out var applied)
                && applied.Cron == schedule.Cron && applied.TimeZone == schedule.TimeZone && applied.Paused == schedule.Paused)
            {
                continue;
            }

            var key = new TriggerKey(job.Name, Group);
            if (schedule.Paused)
            {
                await scheduler.UnscheduleJob(key, cancellationToken);
            }
            else
            {
                // The scheduler's clock (the host's TimeProvider), so start and fire times agree with how Quartz reads "now".
                var trigger = TriggerBuilder.Create(scheduler.TimeProvider)
                    .WithIdentity(key)
                    .ForJob(job.Name, Group)
                    .WithSchedule(CronScheduleBuilder.Create(schedule.Cron)
                        .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone))
                        // Runs missed while this process was down are caught up once at start, not by Quartz.
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                    .Build();
                await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
            }

            _applied[job.Name] = schedule;
            LogScheduleApplied(logger, job.Name, schedule.Cron, schedule.TimeZone, schedule.Paused);
        }
    }

    private async Task DispatchQueuedAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var queued = await coordinator.FindQueuedRunsAsync(cancellationToken);
        _dispatched.IntersectWith(queued.Select(q => q.RunId!));
        foreach (var run in queued.Where(q => !_dispatched.Contains(q.RunId!)))
        {
            var data = new JobDataMap { [SfcQuartzJob.TriggerData] = run.Trigger, [SfcQuartzJob.RunIdData] = run.RunId! };
            await scheduler.TriggerJob(new JobKey(run.Job, Group), data, cancellationToken);
            _dispatched.Add(run.RunId!);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job schedules could not be read from the store; retrying at the next poll.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} run {RunId} was left Running by a stopped process; marked Abandoned.")]
    private static partial void LogAbandoned(ILogger logger, string job, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} missed its schedule while no worker ran (last missed {MissedAt}); running it once now.")]
    private static partial void LogCatchUp(ILogger logger, string job, DateTimeOffset? missedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} schedule: '{Cron}' in {TimeZone}, paused: {Paused}.")]
    private static partial void LogScheduleApplied(ILogger logger, string job, string cron, string timeZone, bool paused);
}
