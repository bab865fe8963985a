using SfCompanion.Jobs;

namespace SfCompanion.Sync;

/// <summary>Scheduled incremental sync of the mirror; the work is in <see cref="SyncService"/>.</summary>
public sealed class SyncJob(SyncService sync) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await sync.SyncAllAsync((sobject, done, total) => context.ReportProgress(done, total, sobject), cancellationToken);
        context.AddApiCalls(result.ApiCalls);
        if (!result.Completed)
        {
            context.Warn("Stopped early: " + result.StoppedBecause);
        }
    }
}
