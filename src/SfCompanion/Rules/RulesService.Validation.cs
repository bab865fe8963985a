using SfCompanion.Formulas;

namespace SfCompanion.Rules;

public sealed partial class RulesService
{
    /// <summary>Validates and saves a rule as a new version. Returns the problems instead when there are any (nothing saved).</summary>
    public async Task<(Versioned<RuleDefinition>? Saved, IReadOnlyList<RuleProblem> Problems)> SaveRuleAsync(RuleDefinition rule, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var problems = await ValidateAsync(rule, cancellationToken);
        return problems.Count > 0 ? (null, problems) : (await Rules.SaveAsync(rule.Name, rule, changedBy, cancellationToken: cancellationToken), []);
    }

    /// <summary>Validates and saves a roll-up as a new version, checking that every saved rule using it still computes.</summary>
    public async Task<(Versioned<RollupDefinition>? Saved, IReadOnlyList<RuleProblem> Problems)> SaveRollupAsync(RollupDefinition rollup, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        var rollups = await RollupDefinitionsAsync([rollup], cancellationToken);
        var (schema, describes) = await SchemaAsync(rollups, cancellationToken);
        var problems = RuleValidation.Check(rollup, describes);
        if (problems.Count == 0)
        {
            problems.AddRange(await CompileAsync(schema, async context =>
                await context.CompileAsync("roll-up " + rollup.Name, "roll-up " + rollup.Name, rollup.Object, rollup.Name, null, new FormulaOptions()), cancellationToken));
        }

        return problems.Count > 0 ? (null, problems) : (await Rollups.SaveAsync(rollup.Name, rollup, changedBy, cancellationToken: cancellationToken), []);
    }

    /// <summary>The rule's problems: its shape, then every formula compiled against the mirror's schema (with positions).</summary>
    public async Task<List<RuleProblem>> ValidateAsync(RuleDefinition rule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (schema, describes) = await SchemaAsync(await RollupDefinitionsAsync(null, cancellationToken), cancellationToken);
        var problems = RuleValidation.Check(rule, describes);
        if (problems.Count == 0)
        {
            problems.AddRange(await CompileAsync(schema, context => RuleEngine.EvaluateAsync(context, rule), cancellationToken));
        }

        return problems;
    }

    private async Task<IReadOnlyList<RuleProblem>> CompileAsync<T>(ProjectionSchema schema, Func<ComputeContext, Task<T>> work, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            await projection.UseAsync(async view => await work(new ComputeContext(view, schema, IsSynced, new FormulaRuntime(time.GetUtcNow().UtcDateTime))), budget.Token);
            return [];
        }
        catch (RuleException ex)
        {
            return ex.Problems;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return [new RuleProblem("validation", "check", $"Checking the definition ran past the time budget of {options.Value.TimeBudgetSeconds} s (Rules:TimeBudgetSeconds): simplify its formulas or raise the budget.")];
        }
    }
}
