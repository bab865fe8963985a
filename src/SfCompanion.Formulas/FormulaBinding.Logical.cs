using System.Linq.Expressions;

namespace SfCompanion.Formulas;

/// <summary>Logical functions: IF, CASE, AND, OR, NOT, the blank tests and the picklist tests.</summary>
internal sealed partial class FormulaBinding
{
    private static (string Name, FunctionBinder Bind)[] LogicalFunctions() =>
    [
        ("IF", (b, call) => b.BindIf(call)),
        ("CASE", (b, call) => b.BindCase(call)),
        ("AND", (b, call) => b.Fold(call, FormulaType.Boolean, Expression.AndAlso)),
        ("OR", (b, call) => b.Fold(call, FormulaType.Boolean, Expression.OrElse)),
        ("NOT", (b, call) => b.BindNot(call)),
        ("ISBLANK", (b, call) => b.BindIsBlank(call)),
        ("ISNULL", (b, call) => b.BindIsNull(call)),
        ("BLANKVALUE", (b, call) => b.BindBlankValue(call, textIsNeverNull: false)),
        ("NULLVALUE", (b, call) => b.BindBlankValue(call, textIsNeverNull: true)),
        ("ISPICKVAL", (b, call) => b.BindPicklistTest(call, PicklistUse.Picklist, FormulaType.Picklist, nameof(FormulaFunctions.TextEquals))),
        ("INCLUDES", (b, call) => b.BindPicklistTest(call, PicklistUse.Multi, FormulaType.MultiPicklist, nameof(FormulaFunctions.Includes))),
    ];

    private Typed BindIf(CallSyntax call)
    {
        Arity(call, 3, 3);
        var condition = Arg(call, 0, FormulaType.Boolean);
        var whenTrue = Bind(call.Arguments[1]);
        var whenFalse = Bind(call.Arguments[2]);
        var type = Unify(call, whenTrue.Type, whenFalse, call.Arguments[2]);
        return new(type, Expression.Condition(condition, Coerce(whenTrue, type), Coerce(whenFalse, type), ClrType(type)));
    }

    private Typed BindNot(CallSyntax call)
    {
        Arity(call, 1, 1);
        return new(FormulaType.Boolean, Expression.Not(Arg(call, 0, FormulaType.Boolean)));
    }

    private Typed BindIsBlank(CallSyntax call)
    {
        Arity(call, 1, 1);
        return new(FormulaType.Boolean, IsBlank(Bind(call.Arguments[0], PicklistUse.Any)));
    }

    private Typed BindIsNull(CallSyntax call)
    {
        Arity(call, 1, 1);
        var value = Bind(call.Arguments[0], PicklistUse.Any);

        // Salesforce: text is never null, so ISNULL of text is always false.
        return new(FormulaType.Boolean, value.Type == FormulaType.Text ? Expression.Constant(false) : IsBlank(value));
    }

    /// <summary>BLANKVALUE and NULLVALUE; with <paramref name="textIsNeverNull"/> (NULLVALUE), text is returned as it is.</summary>
    private Typed BindBlankValue(CallSyntax call, bool textIsNeverNull)
    {
        Arity(call, 2, 2);
        var value = Bind(call.Arguments[0]);
        var substitute = Bind(call.Arguments[1]);
        var type = Unify(call, value.Type, substitute, call.Arguments[1]);
        if (type == FormulaType.Null)
        {
            return value;
        }

        var fallback = Coerce(substitute, type);
        if (textIsNeverNull && type == FormulaType.Text)
        {
            // Salesforce: text is never null; NULLVALUE of text returns the text.
            return new(type, Coerce(value, type));
        }

        return new(type, Let(Coerce(value, type), v => Expression.Condition(IsBlank(new Typed(type, v)), fallback, v, ClrType(type))));
    }

    /// <summary>ISPICKVAL and INCLUDES: a picklist field of <paramref name="picklistType"/>, then a text, compared by <paramref name="helper"/>.</summary>
    private Typed BindPicklistTest(CallSyntax call, PicklistUse use, FormulaType picklistType, string helper)
    {
        Arity(call, 2, 2);
        var picklist = Bind(call.Arguments[0], use);
        if (picklist.Type != picklistType)
        {
            throw TypeError(Function(call), TypeName(picklistType), picklist.Type, call.Arguments[0]);
        }

        return new(FormulaType.Boolean, Call(helper, picklist.Expr, Arg(call, 1, FormulaType.Text)));
    }

    private Typed BindCase(CallSyntax call)
    {
        var count = call.Arguments.Count;
        if (count < 4 || count % 2 != 0)
        {
            var expected = count < 4 ? "4 or more" : $"{count + 1}";
            throw FormulaException.At(call.NameSpan,
                $"Error: Incorrect number of parameters for function 'CASE()'. Expected {expected}, received {count}");
        }

        var subject = Bind(call.Arguments[0], PicklistUse.Picklist);
        var compareType = subject.Type switch
        {
            FormulaType.Picklist or FormulaType.Null => FormulaType.Text,
            FormulaType.MultiPicklist => throw TypeError(Function(call), "Picklist", subject.Type, call.Arguments[0]),
            var t => t,
        };

        var values = new List<Expression>();
        var results = new List<Typed>();
        var resultType = FormulaType.Null;
        for (var i = 1; i < count - 1; i += 2)
        {
            values.Add(Arg(call, i, compareType));
            var result = Bind(call.Arguments[i + 1]);
            resultType = Unify(call, resultType, result, call.Arguments[i + 1]);
            results.Add(result);
        }

        var otherwise = Bind(call.Arguments[count - 1]);
        resultType = Unify(call, resultType, otherwise, call.Arguments[count - 1]);
        var subjectExpr = subject.Type == FormulaType.Null ? Expression.Constant(null, typeof(string)) : subject.Expr;
        return new(resultType, Let(subjectExpr, s => CaseChain(s, compareType, values, results, Coerce(otherwise, resultType), resultType)));
    }

    /// <summary>The nested conditions of a CASE: the first value equal to <paramref name="subject"/> picks its result, else <paramref name="otherwise"/>.</summary>
    private Expression CaseChain(Expression subject, FormulaType compareType, List<Expression> values, List<Typed> results, Expression otherwise, FormulaType resultType)
    {
        var clr = ClrType(resultType);
        var chain = otherwise;
        for (var i = values.Count - 1; i >= 0; i--)
        {
            var test = compareType == FormulaType.Text
                ? (Expression)Call(nameof(FormulaFunctions.TextEquals), subject, values[i])
                : Expression.Equal(subject, values[i], false, null);
            chain = Expression.Condition(test, Coerce(results[i], resultType), chain, clr);
        }

        return chain;
    }
}
