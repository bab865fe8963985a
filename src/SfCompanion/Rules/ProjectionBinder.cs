using System.Linq.Expressions;
using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;

namespace SfCompanion.Rules;

/// <summary>
/// Binds formula fields to the projection's columns: a field of the record itself is one array read, a parent field
/// follows each lookup's index (two array reads a hop, blank when the parent is missing), and a rule's criteria are
/// read from the Boolean arrays they were evaluated into.
/// </summary>
public sealed class ProjectionBinder(ProjectionView view, IReadOnlyDictionary<string, bool[]>? variables = null) : IFormulaBinder
{
    public Expression Bind(FormulaField field, ParameterExpression row)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.BindingKey is string key && key.StartsWith("var:", StringComparison.Ordinal))
        {
            var values = variables?.GetValueOrDefault(key[4..]) ?? throw new InvalidOperationException($"No values for criterion '{key[4..]}'.");
            return Expression.ArrayIndex(Expression.Constant(values), row);
        }

        var path = (FieldKey)field.BindingKey!;
        var column = view.Table(path.Object).Column(path.Column) ?? throw new InvalidOperationException($"Column {path.Object}.{path.Column} is not loaded.");
        if (path.Hops.Count == 0)
        {
            return column.Read(row);
        }

        // r1 = hop1.Parent(row); r1 < 0 ? blank : (r2 = hop2.Parent(r1); r2 < 0 ? blank : column[r2]) …
        var read = column.Read(Expression.Variable(typeof(int), "leaf"));
        var blank = Expression.Default(read.Type);
        Expression current = row;
        var steps = new List<(ParameterExpression Variable, Expression Value)>();
        foreach (var hop in path.Hops)
        {
            var lookup = view.Lookup(hop.Object, hop.LookupField, hop.Target);
            lookup.Refresh();
            var variable = Expression.Variable(typeof(int), "r" + steps.Count);
            steps.Add((variable, Expression.Call(Expression.Constant(lookup), typeof(LookupIndex).GetMethod(nameof(LookupIndex.Parent))!, current)));
            current = variable;
        }

        Expression body = column.Read(current);
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var (variable, value) = steps[i];
            body = Expression.Block(
                [variable],
                Expression.Assign(variable, value),
                Expression.Condition(Expression.LessThan(variable, Expression.Constant(0)), blank, body));
        }

        return body;
    }
}

/// <summary>A binder that reads nothing: a first compilation pass learns which fields a formula needs before they are loaded.</summary>
public sealed class CollectingBinder : IFormulaBinder
{
    public static readonly CollectingBinder Instance = new();

    public Expression Bind(FormulaField field, ParameterExpression row)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Expression.Default(field.BindingKey is string ? typeof(bool) : field.Type switch
        {
            FormulaType.Boolean => typeof(bool),
            FormulaType.Number => typeof(decimal?),
            FormulaType.Date => typeof(DateOnly?),
            FormulaType.DateTime => typeof(DateTime?),
            _ => typeof(string),
        });
    }
}
