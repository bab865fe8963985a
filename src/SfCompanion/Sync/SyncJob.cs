using SfCompanion.Jobs;

namespace SfCompanion.Sync;

/// <summary>
/// Scheduled incremental sync of the mirror; the work is in <see cref="SyncService"/>. When records changed, asks
/// for a run of each <see cref="ISyncFollower"/> (rules…) so what they compute follows the org's changes.
/// </summary>
public sealed class SyncJob(SyncService sync, JobCatalog catalog, JobControl control, IEnumerable<ISyncFollower> followers, TimeProvider time) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Trigger == JobTriggers.Schedule && await sync.SlowDownReasonAsync(cancellationToken) is { } reason)
        {
            context.Warn(reason);
            return;
        }

        // The run's stage names the object with its rate and time left: "Lead: 52,300 records/s, 18 s left".
        var rate = new SyncRate(time);
        var result = await sync.SyncAllAsync((sobject, done, total) => context.ReportProgress(done, total, rate.Describe(sobject, done, total)), cancellationToken);
        context.AddApiCalls(result.ApiCalls);
        if (!result.Completed)
        {
            context.Warn("Stopped early: " + result.StoppedBecause);
        }

        foreach (var failed in result.Failed)
        {
            context.Warn($"{failed.Object} failed: {failed.Error}");
        }

        if (result.Changed == 0)
        {
            return;
        }

        foreach (var follower in followers.Where(f => f.Enabled))
        {
            if (catalog.Find(follower.JobName) is { } job)
            {
                // A refusal means a run is already queued or running: it will see the changes either way.
                await control.RequestRunAsync(job, cancellationToken);
            }
        }
    }
}
