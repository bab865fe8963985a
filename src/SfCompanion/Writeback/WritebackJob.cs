using SfCompanion.Jobs;

namespace SfCompanion.Writeback;

/// <summary>Scheduled writeback of the outbox; the work is in <see cref="WritebackService"/>.</summary>
public sealed class WritebackJob(WritebackService writeback) : ISfcJob
{
    public const string Name = "writeback";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await writeback.RunAsync((done, total) => context.ReportProgress(done, total, "outbox"), cancellationToken);
        context.AddApiCalls(result.ApiCalls);
        if (result.StoppedBecause is not null)
        {
            context.Warn("Stopped early: " + result.StoppedBecause);
        }
    }
}
