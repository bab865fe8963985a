using Microsoft.Extensions.Options;
using SfCompanion.Jobs;
using SfCompanion.Writeback;

namespace SfCompanion.Rules;

/// <summary>
/// Recomputes every enabled rule (flags expire by themselves as time windows pass) and queues what changed; then asks
/// for a writeback run. A failed rule is reported as an error of the run; the other rules still ran.
/// </summary>
public sealed class RulesJob(RulesService rules, JobCatalog catalog, JobControl control, IOptions<RulesOptions> options) : ISfcJob
{
    public const string Name = "rules";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = await rules.RunAllAsync((done, total, stage) => context.ReportProgress(done, total, stage), cancellationToken);
        foreach (var result in results)
        {
            if (result.Status == RuleStatuses.Failed)
            {
                context.Error($"Rule {result.Rule}: {string.Join(" ", result.Problems.Select(p => p.Part + ": " + p.Message))}");
            }
            else
            {
                context.ReportProgress(results.Count, results.Count,
                    $"rule {result.Rule}: {result.Matched} of {result.Records} match (+{result.Gained} −{result.Lost}), {result.ValuesQueued} values queued{(result.Status == RuleStatuses.DryRun ? " (dry run: none)" : "")}");
            }
        }

        if (results.Sum(r => r.ValuesQueued) > 0 && options.Value.WritebackAfterRun)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }
    }
}
