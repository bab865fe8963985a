using SfCompanion.Formulas;

namespace SfCompanion.Rules;

/// <summary>
/// Evaluates rules on the projection: each criterion into a Boolean array, the combining formula over those arrays,
/// consent applied; and, for matching records, the review date — the first day a time window would drop them.
/// </summary>
public static class RuleEngine
{
    /// <summary>Days ahead probed for review dates: daily for a month, weekly to six months, monthly to three years.</summary>
    private static readonly int[] Probes =
    [
        .. Enumerable.Range(1, 31),
        .. Enumerable.Range(5, 22).Select(w => w * 7),
        .. Enumerable.Range(7, 30).Select(m => (int)Math.Round(m * 30.44)),
    ];

    /// <summary>Criterion names as identifiers of the combining formula: dashes read as underscores.</summary>
    public static string Identifier(string criterion) => criterion.Replace('-', '_');

    public static async Task<RuleEvaluation> EvaluateAsync(ComputeContext context, RuleDefinition rule, IReadOnlyCollection<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rule);
        rule = rule with { Object = context.Schema.ObjectName(rule.Object) };
        var options = new FormulaOptions(BlankAsZero: rule.BlankAsZero);
        var table = context.View.Table(rule.Object);
        var errorsBefore = context.Runtime.Errors;
        if (rows is null)
        {
            var optedOut = rule.ExcludeOptedOut && rule.Object is "Lead" or "Contact" ? new[] { (rule.Object, "HasOptedOutOfEmail", new FormulaOptions()) } : [];
            await context.PrepareAsync(rule.Criteria.Select(c => (rule.Object, c.Formula, options)).Concat(optedOut));
        }

        var criteria = new List<(CriterionDefinition, bool[])>();
        var dependsOnToday = false;
        foreach (var criterion in rule.Criteria)
        {
            var compiled = await context.CompileAsync(rule.Name, "criterion " + criterion.Name, rule.Object, criterion.Formula, FormulaType.Boolean, options);
            dependsOnToday |= compiled.UsesToday;
            criteria.Add((criterion, EvaluateOnce(context, table, compiled, options, rows)));
        }

        var variables = criteria.ToDictionary(c => Identifier(c.Item1.Name), c => c.Item2, StringComparer.OrdinalIgnoreCase);
        var combine = string.IsNullOrWhiteSpace(rule.Combine) ? string.Join(" && ", variables.Keys) : rule.Combine;
        var combined = await context.CompileAsync(rule.Name, "combine", rule.Object, combine, FormulaType.Boolean,
            options with { Variables = variables.Keys.ToDictionary(k => k, _ => FormulaType.Boolean, StringComparer.OrdinalIgnoreCase) }, variables);
        var match = Evaluate(context, table, combined.AsBoolean(), rows);
        var excluded = rule.ExcludeOptedOut ? await ExcludeOptedOutAsync(context, rule, match) : 0;
        return new RuleEvaluation
        {
            Rule = rule,
            Table = table,
            Match = match,
            Criteria = criteria,
            Errors = context.Runtime.Errors - errorsBefore,
            ExcludedByConsent = excluded,
            DependsOnToday = dependsOnToday || RollupsUseToday(context, rule),
        };
    }

    /// <summary>
    /// A criterion over the whole object is evaluated once per state of the projection: a what-if that changes one
    /// criterion re-evaluates only that one (and the combining formula).
    /// </summary>
    internal static bool[] EvaluateOnce(ComputeContext context, Projection.ObjectTable table, CompiledFormula compiled, FormulaOptions options, IReadOnlyCollection<int>? rows)
    {
        if (rows is not null || compiled.Text.Contains("NOW(", StringComparison.OrdinalIgnoreCase))
        {
            return Evaluate(context, table, compiled.AsBoolean(), rows);
        }

        var key = string.Join('|', table.Name, compiled.Text, options.BlankAsZero ? "0" : "b", context.Runtime.Today.DayNumber, context.View.StateStamp());
        if (context.View.TryGetResult(key, out var cached))
        {
            return cached;
        }

        var errors = context.Runtime.Errors;
        var result = Evaluate(context, table, compiled.AsBoolean(), rows);
        if (context.Runtime.Errors == errors)
        {
            // Results with record errors are not kept, so the error count is reported on every evaluation.
            context.View.KeepResult(key, result);
        }

        return result;
    }

    private static bool[] Evaluate(ComputeContext context, Projection.ObjectTable table, Func<FormulaRuntime, int, bool> formula, IReadOnlyCollection<int>? rows)
    {
        if (rows is null)
        {
            return context.EvaluateAll(table, formula);
        }

        var result = new bool[table.Rows];
        foreach (var row in rows)
        {
            result[row] = table.IsLive(row) && formula(context.Runtime, row);
        }

        return result;
    }

    /// <summary>People opted out of email never match an invitation rule.</summary>
    private static async Task<int> ExcludeOptedOutAsync(ComputeContext context, RuleDefinition rule, bool[] match)
    {
        if (rule.Object is not ("Lead" or "Contact"))
        {
            return 0;
        }

        var optedOut = await context.CompileAsync(rule.Name, "consent", rule.Object, "HasOptedOutOfEmail", FormulaType.Boolean, new FormulaOptions());
        var read = optedOut.AsBoolean();
        var excluded = 0;
        for (var row = 0; row < match.Length; row++)
        {
            if (match[row] && read(context.Runtime, row))
            {
                match[row] = false;
                excluded++;
            }
        }

        return excluded;
    }

    private static bool RollupsUseToday(ComputeContext context, RuleDefinition rule) =>
        context.Schema.RollupsUsedBy(rule).Any(r => UsesToday(r.Filter) || UsesToday(r.Field));

    private static bool UsesToday(string? formula) =>
        formula is not null && (formula.Contains("TODAY(", StringComparison.OrdinalIgnoreCase) || formula.Contains("NOW(", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// For each matching row, the first date it would stop matching if nothing else changed (time windows only), or
    /// null when it keeps matching for three years. Probes future dates, then narrows each drop down to the day.
    /// </summary>
    public static async Task<Dictionary<int, DateOnly?>> ReviewDatesAsync(ComputeContext context, RuleEvaluation evaluation, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(evaluation);
        var result = evaluation.MatchingRows().ToDictionary(r => r, _ => (DateOnly?)null);
        if (!evaluation.DependsOnToday || result.Count == 0)
        {
            return result;
        }

        var now = context.Runtime.Now;
        var remaining = result.Keys.ToList();
        var previous = 0;
        foreach (var day in Probes)
        {
            var stillMatching = await MatchAtAsync(context, evaluation.Rule, today.AddDays(day), remaining);
            var dropped = remaining.Where(r => !stillMatching[r]).ToList();
            if (dropped.Count > 0)
            {
                await NarrowAsync(context, evaluation.Rule, today, previous + 1, day, dropped, result);
                remaining = [.. remaining.Where(r => stillMatching[r])];
            }

            if (remaining.Count == 0)
            {
                break;
            }

            previous = day;
        }

        context.MoveTo(now);
        return result;
    }

    /// <summary>Rows that match at <paramref name="first"/>-1 and not at <paramref name="last"/>: bisect to the first day each stops matching.</summary>
    private static async Task NarrowAsync(ComputeContext context, RuleDefinition rule, DateOnly today, int first, int last, List<int> rows, Dictionary<int, DateOnly?> result)
    {
        if (first >= last)
        {
            foreach (var row in rows)
            {
                result[row] = today.AddDays(last);
            }

            return;
        }

        var middle = first + ((last - first) / 2);
        var atMiddle = await MatchAtAsync(context, rule, today.AddDays(middle), rows);
        var early = rows.Where(r => !atMiddle[r]).ToList();
        var late = rows.Where(r => atMiddle[r]).ToList();
        if (early.Count > 0)
        {
            await NarrowAsync(context, rule, today, first, middle, early, result);
        }

        if (late.Count > 0)
        {
            await NarrowAsync(context, rule, today, middle + 1, last, late, result);
        }
    }

    private static async Task<bool[]> MatchAtAsync(ComputeContext context, RuleDefinition rule, DateOnly date, IReadOnlyCollection<int> rows)
    {
        context.MoveTo(date.ToDateTime(TimeOnly.FromDateTime(context.Runtime.Now)));
        return (await EvaluateAsync(context, rule, rows)).Match;
    }
}
