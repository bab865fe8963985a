using System.Diagnostics;
using System.Globalization;
using SfCompanion.Formulas;

namespace SfCompanion.Rules;

public sealed partial class RulesService
{
    /// <summary>Counts a draft on the whole mirror and compares it with the saved rule; writes nothing.</summary>
    /// <exception cref="RuleException">The draft or a draft roll-up is not valid (each problem with its position).</exception>
    public async Task<RulePreview> PreviewAsync(RulePreviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var saved = await Rules.GetAsync(request.Compare ?? request.Draft?.Name ?? "", cancellationToken);
        if (request.Compare is not null && saved is null)
        {
            throw new RuleException([new RuleProblem(request.Compare, "compare", $"compare = '{request.Compare}': no saved rule of that name.")]);
        }

        var draft = (request.Draft ?? throw new RuleException([new RuleProblem("draft", "draft", "draft: the rule to preview is required (object, criteria, combine).")]))
            with { Name = string.IsNullOrWhiteSpace(request.Draft.Name) ? saved?.Name ?? "draft" : request.Draft.Name };
        var draftRollups = await RollupDefinitionsAsync(request.Rollups, cancellationToken);
        var (draftSchema, describes) = await SchemaAsync(draftRollups, cancellationToken);
        var problems = RuleValidation.Check(draft, describes);
        problems.AddRange((request.Rollups ?? []).SelectMany(r => RuleValidation.Check(r, describes)));
        if (saved is not null && !string.Equals(saved.Definition.Object, draft.Object, StringComparison.OrdinalIgnoreCase))
        {
            // Gained and lost compare the same records row by row.
            problems.Add(new RuleProblem(draft.Name, "compare",
                $"compare = '{saved.Name}' is a rule on {saved.Definition.Object}; the draft is on {draft.Object}. Name the draft differently or compare with a rule on {draft.Object}."));
        }

        if (problems.Count > 0)
        {
            throw new RuleException(problems);
        }

        var (savedSchema, _) = await SchemaAsync(await RollupDefinitionsAsync(null, cancellationToken), cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var sample = Math.Clamp(request.Sample ?? 20, 0, options.Value.MaxSample);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            var preview = await projection.UseAsync(async view =>
            {
                var before = saved is null ? null
                    : await RuleEngine.EvaluateAsync(new ComputeContext(view, savedSchema, IsSynced, new FormulaRuntime(now)), saved.Definition with { Name = saved.Name });
                var context = new ComputeContext(view, draftSchema, IsSynced, new FormulaRuntime(now));
                var after = await RuleEngine.EvaluateAsync(context, draft);
                return await DescribeAsync(context, after, before, request.BreakdownBy, sample);
            }, budget.Token);
            return preview with { Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RuleException([new RuleProblem(draft.Name, "preview", $"The preview ran past its time budget of {options.Value.TimeBudgetSeconds} s (Rules:TimeBudgetSeconds).")]);
        }
    }

    private static async Task<RulePreview> DescribeAsync(ComputeContext context, RuleEvaluation after, RuleEvaluation? before, string? breakdownBy, int sample)
    {
        var table = after.Table;
        int gained = 0, lost = 0;
        if (before is not null)
        {
            for (var row = 0; row < table.Rows; row++)
            {
                gained += after.Match[row] && !before.Match[row] ? 1 : 0;
                lost += !after.Match[row] && before.Match[row] ? 1 : 0;
            }
        }

        return new RulePreview
        {
            Records = table.LiveRows,
            Matches = after.Count,
            SavedMatches = before?.Count,
            Gained = before is null ? after.Count : gained,
            Lost = lost,
            ExcludedByConsent = after.ExcludedByConsent,
            RecordErrors = after.Errors,
            Breakdown = string.IsNullOrWhiteSpace(breakdownBy) ? [] : await BreakdownAsync(context, after, breakdownBy),
            ByCriterion = [.. after.Criteria.Select(c => new BreakdownRow(c.Criterion.Name, after.MatchingRows().Count(row => c.Values[row])))],
            Samples = await SamplesAsync(context, after, sample),
        };
    }

    private static async Task<IReadOnlyList<BreakdownRow>> BreakdownAsync(ComputeContext context, RuleEvaluation evaluation, string formula)
    {
        var by = await context.CompileAsync(evaluation.Rule.Name, "breakdownBy", evaluation.Rule.Object, formula, null, new FormulaOptions());
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var blank = 0;
        foreach (var row in evaluation.MatchingRows())
        {
            if (Text(by.Evaluate(context.Runtime, row)) is { } value)
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
            else
            {
                blank++;
            }
        }

        var rows = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(50).Select(kv => new BreakdownRow(kv.Key, kv.Value)).ToList();
        if (blank > 0)
        {
            rows.Add(new BreakdownRow(null, blank));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<SampleRecord>> SamplesAsync(ComputeContext context, RuleEvaluation evaluation, int sample)
    {
        if (sample == 0 || evaluation.Count == 0)
        {
            return [];
        }

        var name = await NameFormulaAsync(context, evaluation);
        return [.. evaluation.MatchingRows().Take(sample).Select(row => new SampleRecord(
            evaluation.Table.Id(row),
            name is null ? null : Text(name.Evaluate(context.Runtime, row)),
            evaluation.Reasons(row)))];
    }

    /// <summary>A readable name for samples: Name, or first and last name, when synced.</summary>
    private static async Task<CompiledFormula?> NameFormulaAsync(ComputeContext context, RuleEvaluation evaluation)
    {
        foreach (var formula in new[] { "FirstName & ' ' & LastName", "Name" })
        {
            try
            {
                return await context.CompileAsync(evaluation.Rule.Name, "name", evaluation.Rule.Object, formula, FormulaType.Text, new FormulaOptions());
            }
            catch (RuleException)
            {
                // Not on this object or not synced: try the next one.
            }
        }

        return null;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
