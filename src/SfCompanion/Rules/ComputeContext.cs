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
    private readonly Dictionary<(string, string, FormulaType?, bool, object?), (CompiledFormula Formula, List<FieldKey> Rollups)> _compiled = [];

    public ProjectionView View { get; } = view;

    public ProjectionSchema Schema { get; } = schema;

    public FormulaRuntime Runtime { get; } = runtime;

    /// <summary>Compiles <paramref name="formula"/> on <paramref name="sobject"/>, loading what it reads and computing the roll-ups it uses.</summary>
    /// <exception cref="RuleException">The formula does not compile, or reads a field that is not synced.</exception>
    public async Task<CompiledFormula> CompileAsync(string rule, string part, string sobject, string formula, FormulaType? expected, FormulaOptions options,
        IReadOnlyDictionary<string, bool[]>? variables = null, IReadOnlyList<string>? chain = null)
    {
        sobject = Schema.ObjectName(sobject);
        // Compiled delegates read TODAY() from the runtime and values from the columns: within one context they are
        // reused as the date moves (review dates) — only the roll-ups they read are recomputed.
        var cacheKey = (sobject, formula, expected, options.BlankAsZero, (object?)variables);
        if (_compiled.TryGetValue(cacheKey, out var cached))
        {
            foreach (var key in cached.Rollups)
            {
                await ComputeRollupAsync(Schema.Rollup(key.Object, key.Rollup!)!, chain ?? [rule]);
            }

            View.RefreshLookups();
            return cached.Formula;
        }

        var first = Compile(rule, part, sobject, formula, expected, options, CollectingBinder.Instance);
        var fields = first.Fields.Select(f => ((FieldKey)f.BindingKey!, f.Type)).ToList();
        CheckSynced(rule, part, formula, fields.Select(f => f.Item1));
        await View.EnsureColumnsAsync(Needs(sobject, fields));
        foreach (var (key, _) in fields.Where(f => f.Item1.Rollup is not null))
        {
            await ComputeRollupAsync(Schema.Rollup(key.Object, key.Rollup!)!, chain ?? [rule]);
        }

        View.RefreshLookups();
        var compiled = Compile(rule, part, sobject, formula, expected, options, new ProjectionBinder(View, variables));
        _compiled[cacheKey] = (compiled, [.. fields.Select(f => f.Item1).Where(k => k.Rollup is not null)]);
        return compiled;
    }

    /// <summary>
    /// Loads, in one read of the mirror per object, every column the formulas (and the roll-ups they use, and those
    /// roll-ups' own formulas) will read. Formulas that do not compile are skipped here: compiling them reports it.
    /// </summary>
    public async Task PrepareAsync(IEnumerable<(string Object, string Formula, FormulaOptions Options)> formulas)
    {
        ArgumentNullException.ThrowIfNull(formulas);
        var needs = new List<(string, string, FormulaType)>();
        var pending = new Queue<(string Object, string Formula, FormulaOptions Options)>(formulas);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryDequeue(out var item))
        {
            if (!seen.Add(item.Object + "|" + item.Formula))
            {
                continue;
            }

            try
            {
                var first = new FormulaCompiler(Schema, CollectingBinder.Instance).Compile(item.Object, item.Formula, null, item.Options);
                var fields = first.Fields.Select(f => ((FieldKey)f.BindingKey!, f.Type)).ToList();
                needs.AddRange(Needs(item.Object, fields));
                foreach (var (key, _) in fields.Where(f => f.Item1.Rollup is not null))
                {
                    var rollup = Schema.Rollup(key.Object, key.Rollup!)!;
                    needs.Add((rollup.ChildObject, "Id", FormulaType.Text));
                    needs.Add((rollup.ChildObject, rollup.Relationship, FormulaType.Text));
                    needs.Add((rollup.Object, "Id", FormulaType.Text));
                    foreach (var text in new[] { rollup.Filter, rollup.Field }.Where(t => !string.IsNullOrWhiteSpace(t)))
                    {
                        pending.Enqueue((rollup.ChildObject, text!, new FormulaOptions()));
                    }
                }
            }
            catch (FormulaException)
            {
                // Reported with its position by the compilation that follows.
            }
        }

        await View.EnsureColumnsAsync(needs.Where(n => isSynced(n.Item1, n.Item2)));
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
        // The name as a whole identifier (not "Name" inside "FirstName"), else anywhere.
        var match = System.Text.RegularExpressions.Regex.Match(formula, @"(?<![A-Za-z0-9_])" + System.Text.RegularExpressions.Regex.Escape(name) + @"(?![A-Za-z0-9_])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var at = match.Success ? match.Index : formula.IndexOf(name, StringComparison.OrdinalIgnoreCase);
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

    /// <summary>Moves TODAY() and NOW() to <paramref name="now"/>: roll-ups are recomputed at the next use.</summary>
    public void MoveTo(DateTime now)
    {
        Runtime.Now = DateTime.SpecifyKind(now, DateTimeKind.Utc);
        Runtime.Today = DateOnly.FromDateTime(now);
        _computedRollups.Clear();
    }

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
