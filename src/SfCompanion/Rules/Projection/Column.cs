using System.Linq.Expressions;
using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>
/// One field of one object in the projection: a typed array indexed by row. Values arrive as the mirror's
/// canonical text and are parsed once, when a page of records lands, never at evaluation.
/// </summary>
public abstract class Column(string field)
{
    public string Field { get; } = field;

    public abstract FormulaType Type { get; }

    /// <summary>Rows the arrays can hold; grown by <see cref="EnsureCapacity"/>.</summary>
    protected int Capacity { get; private set; }

    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(1024, Capacity * 2));
        Grow(capacity);
        Capacity = capacity;
    }

    protected abstract void Grow(int capacity);

    /// <summary>Stores the mirror's text value of the field for <paramref name="row"/> (null or empty is blank).</summary>
    public abstract void Set(int row, string? text);

    /// <summary>An expression of the formula type's CLR type reading the value at <paramref name="row"/>.</summary>
    public abstract Expression Read(Expression row);

    /// <summary>The value at <paramref name="row"/> as the mirror's canonical text (for diffs and samples).</summary>
    public abstract string? Text(int row);

    protected Expression Call(string method, Expression row) => Expression.Call(Expression.Constant(this), GetType().GetMethod(method)!, row);
}
