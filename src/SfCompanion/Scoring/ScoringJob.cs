using Microsoft.Extensions.Options;
using SfCompanion.Jobs;
using SfCompanion.Rules;
using SfCompanion.Writeback;

namespace SfCompanion.Scoring;

/// <summary>Recomputes every enabled routine over its whole market and queues what changed; a failed routine is an error of the run, the others still run.</summary>
public sealed class ScoringJob(ScoringService scoring, JobCatalog catalog, JobControl control, IOptions<RulesOptions> options) : ISfcJob
{
    public const string Name = "scoring";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = await scoring.RunAllAsync((done, total, stage) => context.ReportProgress(done, total, stage), cancellationToken);
        foreach (var result in results)
        {
            if (result.Status == RuleStatuses.Failed)
            {
                context.Error($"Routine {result.Routine}: {string.Join(" ", result.Problems.Select(p => p.Part + ": " + p.Message))}");
            }
            else
            {
                context.ReportProgress(results.Count, results.Count,
                    $"routine {result.Routine}: {result.InMarket} in the market, {string.Join(", ", result.Bands.Select(b => $"{b.Band} {b.Count}"))}; {result.InFlow} in the flow; {result.ValuesQueued} values queued");
            }
        }

        if (results.Sum(r => r.ValuesQueued) > 0 && options.Value.WritebackAfterRun)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }
    }
}
