using System.Diagnostics;
using SfCompanion.Rules;

namespace SfCompanion.Scoring;

public sealed partial class ScoringService
{
    /// <summary>Counts a draft routine on the whole mirror (bands, tags, suspects gained and lost); writes nothing.</summary>
    /// <exception cref="RuleException">The draft is not valid (each problem named, formulas with their position).</exception>
    public async Task<RoutinePreview> PreviewAsync(RoutinePreviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var saved = await Routines.GetAsync(request.Compare ?? request.Draft?.Name ?? "", cancellationToken);
        if (request.Compare is not null && saved is null)
        {
            throw new RuleException([new RuleProblem(request.Compare, "compare", $"compare = '{request.Compare}': no saved routine of that name.")]);
        }

        var draft = request.Draft ?? throw new RuleException([new RuleProblem("draft", "draft", "draft: the routine to preview is required (object, mandatory, weighted…).")]);
        draft = draft with { Name = string.IsNullOrWhiteSpace(draft.Name) ? saved?.Name ?? "draft" : draft.Name };
        var sample = Math.Clamp(request.Sample ?? 20, 0, 500);
        var preview = await rules.ComputeAsync(draft.Name, ScoringDefaults.Rollups, async (context, describes) =>
        {
            var before = saved is null ? null : await EvaluateAsync(context, saved.Definition with { Name = saved.Name }, describes);
            var after = await EvaluateAsync(context, draft, describes);
            if (before is not null && !string.Equals(before.Table.Name, after.Table.Name, StringComparison.Ordinal))
            {
                throw new RuleException([new RuleProblem(draft.Name, "compare", $"The saved routine '{saved!.Name}' scores {before.Table.Name}, the draft {after.Table.Name}: compare routines of the same object.")]);
            }

            int gained = 0, lost = 0;
            for (var row = 0; row < after.Table.Rows; row++)
            {
                var now = after.Tag[row] == ScoringDefaults.Suspect;
                var then = before is not null && row < before.Tag.Length && before.Tag[row] == ScoringDefaults.Suspect;
                gained += now && !then ? 1 : 0;
                lost += !now && then ? 1 : 0;
            }

            return new RoutinePreview
            {
                Records = after.Table.LiveRows,
                InMarket = after.Count,
                SavedInMarket = before?.Count,
                Bands = Histogram(after),
                Tags = after.TagCounts(),
                SuspectsGained = gained,
                SuspectsLost = lost,
                RecordErrors = after.Errors,
                Samples = [.. after.Best(sample).Select(row => new ScoredSample(after.Table.Id(row), after.Score[row] >= 0 ? after.Score[row] : null, after.BandName(row), after.Tag[row], after.Reasons(row)))],
            };
        }, cancellationToken);
        return preview with { Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
    }

    /// <summary>The band histogram of a saved routine, computed now.</summary>
    public async Task<IReadOnlyList<BandCount>> BandsAsync(Versioned<RoutineDefinition> saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return await rules.ComputeAsync(saved.Name, ScoringDefaults.Rollups, async (context, describes) =>
            Histogram(await EvaluateAsync(context, saved.Definition with { Name = saved.Name }, describes)), cancellationToken);
    }

    /// <summary>Validates (shape, then every formula against the org's fields) and saves a new version; the problems instead when any.</summary>
    public async Task<(Versioned<RoutineDefinition>? Saved, IReadOnlyList<RuleProblem> Problems)> SaveAsync(RoutineDefinition routine, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(routine);
        try
        {
            await rules.ComputeAsync(routine.Name, ScoringDefaults.Rollups, async (context, describes) => await EvaluateAsync(context, routine, describes), cancellationToken);
        }
        catch (RuleException ex)
        {
            return (null, ex.Problems);
        }

        return (await Routines.SaveAsync(routine.Name, routine, changedBy, cancellationToken: cancellationToken), []);
    }
}
