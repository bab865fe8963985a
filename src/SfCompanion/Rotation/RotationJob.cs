using Microsoft.Extensions.Options;
using SfCompanion.Jobs;
using SfCompanion.Writeback;

namespace SfCompanion.Rotation;

/// <summary>Runs every enabled pool: recycles suspects past their SLA, assigns the flow's best suspects, then asks for a writeback.</summary>
public sealed class RotationJob(RotationService rotation, JobCatalog catalog, JobControl control, IOptions<RotationOptions> options) : ISfcJob
{
    public const string Name = "rotation";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = await rotation.RunAllAsync("job " + Name, (done, total, stage) => context.ReportProgress(done, total, stage), cancellationToken);
        foreach (var result in results)
        {
            if (result.Status == RotationStatuses.Failed)
            {
                context.Error($"Pool {result.Pool}: {string.Join(" ", result.Problems.Select(p => p.Part + ": " + p.Message))}");
                continue;
            }

            context.ReportProgress(results.Count, results.Count,
                $"pool {result.Pool}: {result.Assigned} assigned, {result.Recycled} recycled, {result.Parked} parked, {result.Worked} worked" + (result.Message is { } m ? "; " + m : ""));
            foreach (var skipped in result.SkippedReps)
            {
                context.Warn($"Pool {result.Pool}: {skipped.UserId} skipped: {skipped.Reason}.");
            }
        }

        if (results.Any(r => r.Assigned + r.Recycled > 0) && options.Value.WritebackAfterRun)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }
    }
}
