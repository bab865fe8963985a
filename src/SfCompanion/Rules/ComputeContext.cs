using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;

namespace SfCompanion.Rules;

/// <summary>
/// One computation over the projection (a rule run, a preview): compiles formulas in two passes (learn the fields,
/// load their columns, bind), computes the roll-ups they use in dependency order, and evaluates Boolean formulas
/// into arrays, row by row, on the projection's columns.
/// </summary>
public sealed class ComputeContext(ProjectionView view, ProjectionSchema schema, Func<string, string, bool> isSynced, FormulaRuntime runtime)
{
    private readonly HashSet<string> _computedRollups = new(StringComparer.OrdinalIgnoreCase);

    public ProjectionView View { get; } = view;

    public ProjectionSchema Schema { get; } = schema;

    public FormulaRuntime Runtime { get; } = runtime;

    /// <summary>Compiles <paramref name="formula"/> on <paramref name="sobject"/>, loading what it reads and computing the roll-ups it uses.</summary>
    /// <exception cref="RuleException">The formula does not compile, or reads a field that is not synced.</exception>
    public async Task<CompiledFormula> CompileAsync(string rule, string part, string sobject, string formula, FormulaType? expected, FormulaOptions options,
        IReadOnlyDictionary<string, bool[]>? variables = null, IReadOnlyList<string>? chain = null)
    {
        sobject = Schema.ObjectName(sobject);
        var first = Compile(rule, part, sobject, formula, expected, options, CollectingBinder.Instance);
        var fields = first.Fields.Select(f => ((FieldKey)f.BindingKey!, f.Type)).ToList();
        CheckSynced(rule, part, formula, fields.Select(f => f.Item1));
        await View.EnsureColumnsAsync(Needs(sobject, fields));
        foreach (var (key, _) in fields.Where(f => f.Item1.Rollup is not null))
        {
            await ComputeRollupAsync(Schema.Rollup(key.Object, key.Rollup!)!, chain ?? [rule]);
        }

        View.RefreshLookups();
        return Compile(rule, part, sobject, formula, expected, options, new ProjectionBinder(View, variables));
    }

    private CompiledFormula Compile(string rule, string part, string sobject, string formula, FormulaType? expected, FormulaOptions options, IFormulaBinder binder)
    {
        try
        {
            return new FormulaCompiler(Schema, binder).Compile(sobject, formula, expected, options);
        }
        catch (FormulaException ex)
        {
            throw new RuleException([.. ex.Errors.Select(e => new RuleProblem(rule, part, e.Text, e.Line, e.Column))]);
        }
    }

    /// <summary>The columns to load: each field read, the lookup fields followed and the ids of every object touched.</summary>
    private static IEnumerable<(string, string, FormulaType)> Needs(string sobject, IEnumerable<(FieldKey Key, FormulaType Type)> fields)
    {
        yield return (sobject, "Id", FormulaType.Text);
        foreach (var (key, type) in fields)
        {
            foreach (var hop in key.Hops)
            {
                yield return (hop.Object, hop.LookupField, FormulaType.Text);
                yield return (hop.Target, "Id", FormulaType.Text);
            }

            if (key.Rollup is null)
            {
                yield return (key.Object, key.Field, type);
            }
        }
    }

    /// <summary>Whether the mirror holds <paramref name="field"/> of <paramref name="sobject"/> (<c>Sync:Objects</c>).</summary>
    public bool IsSynced(string sobject, string field) => isSynced(sobject, field);

    private void CheckSynced(string rule, string part, string formula, IEnumerable<FieldKey> keys)
    {
        foreach (var key in keys)
        {
            var missing = key.Hops.Select(h => (h.Object, h.LookupField)).Append((key.Object, key.Field))
                .Where(f => !(key.Rollup is not null && f == (key.Object, key.Field)) && !isSynced(f.Item1, f.Item2))
                .ToList();
            if (missing.Count > 0)
            {
                var (o, f) = missing[0];
                var (line, column) = Position(formula, key.Rollup ?? key.Field);
                throw new RuleException([new RuleProblem(rule, part,
                    $"Error: Field {o}.{f} is not synced into the mirror. Add it to Sync:Objects ({o}) and run a sync.", line, column)]);
            }
        }
    }

    /// <summary>Where <paramref name="name"/> first appears in <paramref name="formula"/> (1-based), for messages.</summary>
    internal static (int? Line, int? Column) Position(string formula, string name)
    {
        var at = formula.IndexOf(name, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return (null, null);
        }

        var before = formula[..at];
        var line = before.Count(c => c == '\n') + 1;
        var column = at - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    /// <summary>Computes a roll-up (and first the roll-ups its own formulas use) onto its parent's column, once per context.</summary>
    private async Task ComputeRollupAsync(RollupDefinition rollup, IReadOnlyList<string> chain)
    {
        if (_computedRollups.Contains(rollup.Object + "." + rollup.Name))
        {
            return;
        }

        if (chain.Skip(1).Contains(rollup.Name, StringComparer.OrdinalIgnoreCase))
        {
            throw new RuleException([new RuleProblem(chain[0], "roll-up " + rollup.Name,
                $"Error: Roll-up {rollup.Name} is used in its own definition ({string.Join(" → ", chain.Skip(1).Append(rollup.Name))}). Remove it from its filter or field.")]);
        }

        await RollupEngine.ComputeAsync(this, rollup, [.. chain, rollup.Name]);
        _computedRollups.Add(rollup.Object + "." + rollup.Name);
    }

    /// <summary>Forgets computed roll-ups (the next compile recomputes them, e.g. at another TODAY()).</summary>
    public void ResetRollups() => _computedRollups.Clear();

    /// <summary>Evaluates a Boolean formula for every live row of <paramref name="table"/>.</summary>
    public bool[] EvaluateAll(ObjectTable table, Func<FormulaRuntime, int, bool> formula)
    {
        var result = new bool[table.Rows];
        for (var row = 0; row < table.Rows; row++)
        {
            if ((row & 0xFFFF) == 0)
            {
                View.CancellationToken.ThrowIfCancellationRequested();
            }

            result[row] = table.IsLive(row) && formula(Runtime, row);
        }

        return result;
    }

}
