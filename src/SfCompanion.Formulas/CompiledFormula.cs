namespace SfCompanion.Formulas;

/// <summary>
/// A compiled formula: a delegate <c>Func&lt;FormulaRuntime, int, T&gt;</c> where T is <c>bool</c>, <c>decimal?</c>,
/// <c>string</c>, <c>DateOnly?</c> or <c>DateTime?</c> according to <see cref="ResultType"/>. The delegate is thread-safe
/// as long as each thread uses its own <see cref="FormulaRuntime"/>.
/// </summary>
public sealed class CompiledFormula
{
    private readonly Delegate function;
    private Func<FormulaRuntime, int, object?>? boxed;

    internal CompiledFormula(string text, FormulaSyntax syntax, FormulaType resultType, Delegate function,
        IReadOnlyList<FormulaField> fields, IReadOnlyList<FormulaField> variables, bool usesToday)
    {
        Text = text;
        Syntax = syntax;
        ResultType = resultType;
        this.function = function;
        Fields = fields;
        Variables = variables;
        UsesToday = usesToday;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>Its syntax tree.</summary>
    public FormulaSyntax Syntax { get; }

    /// <summary>Boolean, Number, Text, Date or DateTime.</summary>
    public FormulaType ResultType { get; }

    /// <summary>Every field the formula references, once each, in order of first appearance (what the projection must load).</summary>
    public IReadOnlyList<FormulaField> Fields { get; }

    /// <summary>The variables (<see cref="FormulaOptions.Variables"/>) the formula references.</summary>
    public IReadOnlyList<FormulaField> Variables { get; }

    /// <summary>Whether the formula calls TODAY() or NOW(), so its value changes with <see cref="FormulaRuntime.Today"/>.</summary>
    public bool UsesToday { get; }

    /// <summary>The compiled delegate typed as <typeparamref name="T"/>; throws when the result type differs.</summary>
    public Func<FormulaRuntime, int, T> As<T>() =>
        function as Func<FormulaRuntime, int, T>
        ?? throw new InvalidOperationException($"The formula returns {ResultType} ({function.Method.ReturnType.Name}), not {typeof(T).Name}.");

    public Func<FormulaRuntime, int, bool> AsBoolean() => As<bool>();

    public Func<FormulaRuntime, int, decimal?> AsNumber() => As<decimal?>();

    public Func<FormulaRuntime, int, string?> AsText() => As<string?>();

    public Func<FormulaRuntime, int, DateOnly?> AsDate() => As<DateOnly?>();

    public Func<FormulaRuntime, int, DateTime?> AsDateTime() => As<DateTime?>();

    /// <summary>Evaluates one record, boxed (convenient, not for hot loops). Blank text is returned as null.</summary>
    public object? Evaluate(FormulaRuntime runtime, int row)
    {
        boxed ??= ResultType switch
        {
            FormulaType.Boolean => Box(AsBoolean()),
            FormulaType.Number => Box(AsNumber()),
            FormulaType.Date => Box(AsDate()),
            FormulaType.DateTime => Box(AsDateTime()),
            _ => Box(AsText()),
        };
        var value = boxed(runtime, row);
        return value is "" ? null : value;
    }

    private static Func<FormulaRuntime, int, object?> Box<T>(Func<FormulaRuntime, int, T> f) => (rt, row) => f(rt, row);

    public override string ToString() => Text;
}
