using System.Linq.Expressions;

namespace SfCompanion.Formulas;

/// <summary>
/// Compiles Salesforce formulas into delegates over (runtime, record number). The compiler knows nothing of storage:
/// <see cref="IFormulaSchema"/> says which fields exist and their types, <see cref="IFormulaBinder"/> turns a field into an
/// expression reading it for one record (typically an array element of a column), so the compiled delegate reads columns
/// directly with no per-record interpretation, boxing or allocation.
/// </summary>
public sealed class FormulaCompiler
{
    private readonly IFormulaSchema schema;
    private readonly IFormulaBinder binder;

    public FormulaCompiler(IFormulaSchema schema, IFormulaBinder binder)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(binder);
        this.schema = schema;
        this.binder = binder;
    }

    /// <summary>Parses a formula into its syntax tree (for tooling). Throws <see cref="FormulaException"/> on a syntax error.</summary>
    public static FormulaSyntax Parse(string formula) => FormulaParser.Parse(formula);

    /// <summary>
    /// Parses, type-checks and compiles <paramref name="formula"/> for records of <paramref name="rootObject"/>.
    /// <paramref name="expectedType"/> is the formula's declared result type (null accepts any); a formula that is only
    /// <c>NULL</c> takes the expected type, or Text. Throws <see cref="FormulaException"/> with the position of the error.
    /// </summary>
    public CompiledFormula Compile(string rootObject, string formula, FormulaType? expectedType = null, FormulaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rootObject);
        if (expectedType is FormulaType.Null or FormulaType.Picklist or FormulaType.MultiPicklist)
        {
            throw new ArgumentException($"A formula cannot return {expectedType}.", nameof(expectedType));
        }

        var syntax = Parse(formula);
        var binding = new FormulaBinding(schema, binder, rootObject, options ?? new FormulaOptions());
        var typed = binding.Bind(syntax);

        if (typed.Type is FormulaType.Picklist or FormulaType.MultiPicklist)
        {
            // Only reachable through ISBLANK-style contexts; a bare picklist field is rejected while binding.
            throw FormulaException.At(syntax.Span, $"Error: Formula result is data type ({typed.Type}), which is not a valid formula result.");
        }

        var resultType = typed.Type == FormulaType.Null ? expectedType ?? FormulaType.Text : typed.Type;
        if (expectedType is { } expected && resultType != expected)
        {
            throw FormulaException.At(syntax.Span,
                $"Error: Formula result is data type ({resultType}), incompatible with expected data type ({expected}).");
        }

        var clr = FormulaBinding.ClrType(resultType);
        var body = FormulaBinding.Coerce(typed, resultType);
        if (body.Type != clr)
        {
            body = Expression.Convert(body, clr);
        }

        var block = binding.CanFail ? Settled(body, binding.Runtime) : body;
        var delegateType = typeof(Func<,,>).MakeGenericType(typeof(FormulaRuntime), typeof(int), clr);
        var lambda = Expression.Lambda(delegateType, block, "Formula", [binding.Runtime, binding.Row]);
        return new CompiledFormula(formula, syntax, resultType, lambda.Compile(), binding.Fields, binding.Variables, binding.UsesToday);
    }

    /// <summary>
    /// Wraps <paramref name="body"/> for a formula where some operation can fail. A failing operation marks the runtime;
    /// Settle then returns blank for the record and counts it. Unexpected exceptions (decimal overflow...) are treated
    /// the same way. A formula where nothing can fail skips all that.
    /// </summary>
    private static BlockExpression Settled(Expression body, ParameterExpression runtime)
    {
        var clr = body.Type;
        var value = Expression.Variable(clr, "value");
        var exception = Expression.Parameter(typeof(Exception), "e");
        var settle = typeof(FormulaFunctions).GetMethod(nameof(FormulaFunctions.Settle))!.MakeGenericMethod(clr);
        var markFailed = typeof(FormulaFunctions).GetMethod(nameof(FormulaFunctions.MarkFailed))!;
        return Expression.Block(
            [value],
            Expression.Assign(value, Expression.TryCatch(body,
                Expression.Catch(exception, Expression.Block(Expression.Call(markFailed, runtime), Expression.Default(clr))))),
            Expression.Call(settle, runtime, value));
    }
}
