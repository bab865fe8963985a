using System.Globalization;
using Quartz;

namespace SfCompanion.Jobs;

/// <summary>The one Quartz job type: reads which SfCompanion job to run from its data and hands it to <see cref="JobExecutor"/>.</summary>
[DisallowConcurrentExecution]
internal sealed partial class SfcQuartzJob(JobExecutor executor, ILogger<SfcQuartzJob> logger) : IJob
{
    public const string JobData = "sfc-job";
    public const string TriggerData = "sfc-trigger";
    public const string RunIdData = "sfc-run-id";
    public const string ScheduledData = "sfc-scheduled";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var job = Read(data, JobData) ?? context.JobDetail.Key.Name;
        var trigger = Read(data, TriggerData) ?? JobTriggers.Schedule;
        var scheduled = trigger == JobTriggers.Schedule
            ? context.ScheduledFireTimeUtc
            : Read(data, ScheduledData) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
        try
        {
            await executor.ExecuteAsync(new JobExecution(job, trigger, Read(data, RunIdData), scheduled), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down before the run was recorded; the next start marks or catches it up.
        }
        catch (Exception ex)
        {
            // The job's own failures are recorded by the executor; this is the store failing around it.
            LogExecutionFailed(logger, ex, job);
        }
    }

    private static string? Read(JobDataMap data, string key) => data.TryGetValue(key, out var value) ? value as string : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} could not be run or recorded.")]
    private static partial void LogExecutionFailed(ILogger logger, Exception exception, string job);
}
