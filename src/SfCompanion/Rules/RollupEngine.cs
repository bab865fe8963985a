using System.Globalization;
using System.Text.Json;
using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;

namespace SfCompanion.Rules;

/// <summary>
/// Computes a roll-up in one pass over the child object's rows: filter, follow the lookup to the parent's row,
/// aggregate. No ceiling on the number of children; the result is a column of the parent's table.
/// </summary>
public static class RollupEngine
{
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SUM", "COUNT", "COUNT_DISTINCT", "MIN", "MAX", "AVG" };

    /// <summary>The roll-up's result type: a number, or for MIN and MAX the type of the value aggregated.</summary>
    public static FormulaType ResultType(RollupDefinition rollup, FormulaType valueType)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return rollup.Function.ToUpperInvariant() is "MIN" or "MAX" && valueType is FormulaType.Date or FormulaType.DateTime ? valueType : FormulaType.Number;
    }

    internal static async Task ComputeAsync(ComputeContext context, RollupDefinition rollup, IReadOnlyList<string> chain)
    {
        var rule = chain[0];
        var part = "roll-up " + rollup.Name;
        var options = new FormulaOptions();
        if (!context.IsSynced(rollup.ChildObject, rollup.Relationship))
        {
            // Otherwise the lookup column would load blank and every parent would silently get nothing.
            throw new RuleException([new RuleProblem(rule, part,
                $"Error: Field {rollup.ChildObject}.{rollup.Relationship} is not synced into the mirror. Add it to Sync:Objects ({rollup.ChildObject}) and run a sync.")]);
        }

        await context.View.EnsureColumnsAsync([(rollup.ChildObject, "Id", FormulaType.Text), (rollup.ChildObject, rollup.Relationship, FormulaType.Text), (rollup.Object, "Id", FormulaType.Text)]);
        var filter = string.IsNullOrWhiteSpace(rollup.Filter) ? null
            : (await context.CompileAsync(rule, part + " filter", rollup.ChildObject, rollup.Filter, FormulaType.Boolean, options, chain: chain)).AsBoolean();
        var value = string.IsNullOrWhiteSpace(rollup.Field) ? null
            : await context.CompileAsync(rule, part + " field", rollup.ChildObject, rollup.Field, null, options, chain: chain);
        var function = rollup.Function.ToUpperInvariant();
        var children = context.View.Table(rollup.ChildObject);
        var parents = context.View.Table(rollup.Object);
        var lookup = context.View.Lookup(rollup.ChildObject, rollup.Relationship, rollup.Object);
        lookup.Refresh();
        var type = ResultType(rollup, value?.ResultType ?? FormulaType.Number);
        var column = parents.AddColumn("@" + rollup.Name, type);
        column.EnsureCapacity(parents.Rows);

        // Unchanged definitions, tables and date: the column already holds the result.
        var columnName = rollup.Object + ".@" + rollup.Name;
        var stamp = JsonSerializer.Serialize(context.Schema.RollupsUsedBy(rollup).Prepend(rollup)) + "|" + context.View.TablesStamp() + "|"
            + context.Runtime.Today.DayNumber.ToString(CultureInfo.InvariantCulture);
        if (context.View.IsCurrent(columnName, stamp))
        {
            return;
        }

        var runtime = context.Runtime;
        var aggregate = Aggregate.For(function, parents.Rows, value);
        for (var row = 0; row < children.Rows; row++)
        {
            if ((row & 0xFFFF) == 0)
            {
                context.View.CancellationToken.ThrowIfCancellationRequested();
            }

            if (!children.IsLive(row) || (filter is not null && !filter(runtime, row)))
            {
                continue;
            }

            var parent = lookup.Parent(row);
            if (parent >= 0)
            {
                aggregate.Add(parent, runtime, row);
            }
        }

        aggregate.WriteTo(column, parents.Rows);
        context.View.MarkCurrent(columnName, stamp);
    }

    /// <summary>The running aggregate of each parent row.</summary>
    private abstract class Aggregate
    {
        public static Aggregate For(string function, int parents, CompiledFormula? value) => function switch
        {
            "COUNT" when value is null => new Count(parents, null),
            "COUNT" => new Count(parents, value.Evaluate),
            "COUNT_DISTINCT" => new CountDistinct(parents, value!.Evaluate),
            "SUM" or "AVG" => new Sum(parents, value!.AsNumber(), average: function == "AVG"),
            "MIN" or "MAX" when value!.ResultType == FormulaType.Date => new Extreme<DateOnly>(parents, value.AsDate(), function == "MAX"),
            "MIN" or "MAX" when value!.ResultType == FormulaType.DateTime => new Extreme<DateTime>(parents, value.AsDateTime(), function == "MAX"),
            _ => new Extreme<decimal>(parents, value!.AsNumber(), function == "MAX"),
        };

        public abstract void Add(int parent, FormulaRuntime runtime, int row);

        public abstract void WriteTo(Column column, int rows);
    }

    private sealed class Count(int parents, Func<FormulaRuntime, int, object?>? value) : Aggregate
    {
        private readonly long[] _counts = new long[parents];

        public override void Add(int parent, FormulaRuntime runtime, int row)
        {
            if (value is null || value(runtime, row) is not (null or ""))
            {
                _counts[parent]++;
            }
        }

        public override void WriteTo(Column column, int rows)
        {
            var numbers = (NumberColumn)column;
            for (var i = 0; i < rows; i++)
            {
                numbers.SetValue(i, _counts[i]);
            }
        }
    }

    private sealed class CountDistinct(int parents, Func<FormulaRuntime, int, object?> value) : Aggregate
    {
        private readonly HashSet<(int, object)> _seen = [];
        private readonly long[] _counts = new long[parents];

        public override void Add(int parent, FormulaRuntime runtime, int row)
        {
            if (value(runtime, row) is { } v and not "" && _seen.Add((parent, v)))
            {
                _counts[parent]++;
            }
        }

        public override void WriteTo(Column column, int rows)
        {
            var numbers = (NumberColumn)column;
            for (var i = 0; i < rows; i++)
            {
                numbers.SetValue(i, _counts[i]);
            }
        }
    }

    private sealed class Sum(int parents, Func<FormulaRuntime, int, decimal?> value, bool average) : Aggregate
    {
        private readonly decimal[] _sums = new decimal[parents];
        private readonly long[] _counts = new long[parents];

        public override void Add(int parent, FormulaRuntime runtime, int row)
        {
            if (value(runtime, row) is { } v)
            {
                _sums[parent] += v;
                _counts[parent]++;
            }
        }

        public override void WriteTo(Column column, int rows)
        {
            var numbers = (NumberColumn)column;
            for (var i = 0; i < rows; i++)
            {
                // Like a roll-up summary field, a sum over no children is 0; an average over none is blank.
                numbers.SetValue(i, average ? (_counts[i] == 0 ? null : _sums[i] / _counts[i]) : _sums[i]);
            }
        }
    }

    private sealed class Extreme<T>(int parents, Func<FormulaRuntime, int, T?> value, bool max) : Aggregate
        where T : struct, IComparable<T>
    {
        private readonly T?[] _values = new T?[parents];

        public override void Add(int parent, FormulaRuntime runtime, int row)
        {
            if (value(runtime, row) is { } v && (_values[parent] is not { } current || (max ? v.CompareTo(current) > 0 : v.CompareTo(current) < 0)))
            {
                _values[parent] = v;
            }
        }

        public override void WriteTo(Column column, int rows)
        {
            for (var i = 0; i < rows; i++)
            {
                switch (column)
                {
                    case NumberColumn n:
                        n.SetValue(i, _values[i] is { } number ? (decimal)(object)number : null);
                        break;
                    case DateColumn dates:
                        dates.SetValue(i, _values[i] is { } date ? (DateOnly)(object)date : null);
                        break;
                    case DateTimeColumn t:
                        t.SetValue(i, _values[i] is { } at ? (DateTime)(object)at : null);
                        break;
                }
            }
        }
    }
}
