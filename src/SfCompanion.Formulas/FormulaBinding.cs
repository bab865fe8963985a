using System.Linq.Expressions;
using System.Reflection;

namespace SfCompanion.Formulas;

/// <summary>Where picklist fields are accepted: Salesforce restricts them to a few functions.</summary>
internal enum PicklistUse
{
    None,

    /// <summary>ISPICKVAL, CASE, TEXT: single-select picklists.</summary>
    Picklist,

    /// <summary>INCLUDES: multi-select picklists.</summary>
    Multi,

    /// <summary>ISBLANK, ISNULL: both.</summary>
    Any,
}

internal readonly record struct Typed(FormulaType Type, Expression Expr);

/// <summary>Type-checks a syntax tree and turns it into an expression tree over (runtime, row).</summary>
internal sealed partial class FormulaBinding(IFormulaSchema schema, IFormulaBinder binder, string rootObject, FormulaOptions options)
{
    private static readonly MethodInfo[] Helpers = typeof(FormulaFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static);

    private readonly Dictionary<string, Expression> bound = new(StringComparer.OrdinalIgnoreCase);

    public ParameterExpression Runtime { get; } = Expression.Parameter(typeof(FormulaRuntime), "rt");

    public ParameterExpression Row { get; } = Expression.Parameter(typeof(int), "row");

    public List<FormulaField> Fields { get; } = [];

    public List<FormulaField> Variables { get; } = [];

    public bool UsesToday { get; private set; }

    /// <summary>Whether some operation can fail for a record (division, conversions, overflow...); if none can, the compiled formula needs no error handling.</summary>
    public bool CanFail { get; private set; }

    public static Type ClrType(FormulaType type) => type switch
    {
        FormulaType.Boolean => typeof(bool),
        FormulaType.Number => typeof(decimal?),
        FormulaType.Date => typeof(DateOnly?),
        FormulaType.DateTime => typeof(DateTime?),
        FormulaType.Null => typeof(object),
        _ => typeof(string),
    };

    public static string TypeName(FormulaType type) => type.ToString();

    private MethodCallExpression Call(string name, params Expression[] arguments)
    {
        if (arguments.Length > 0 && arguments[0].Type == typeof(FormulaRuntime))
        {
            CanFail = true;
        }

        foreach (var method in Helpers)
        {
            if (method.Name != name || method.GetParameters() is not { } parameters || parameters.Length != arguments.Length)
            {
                continue;
            }

            var match = true;
            for (var i = 0; i < parameters.Length && match; i++)
            {
                match = parameters[i].ParameterType == arguments[i].Type;
            }

            if (match)
            {
                return Expression.Call(method, arguments);
            }
        }

        throw new InvalidOperationException($"No helper {name}({string.Join(", ", arguments.Select(a => a.Type.Name))}).");
    }

    /// <summary>Evaluates <paramref name="value"/> once and hands it to <paramref name="body"/>.</summary>
    private static Expression Let(Expression value, Func<Expression, Expression> body)
    {
        if (value is ParameterExpression or ConstantExpression)
        {
            return body(value);
        }

        var variable = Expression.Variable(value.Type);
        return Expression.Block([variable], Expression.Assign(variable, value), body(variable));
    }

    public static Expression Coerce(Typed typed, FormulaType target)
    {
        if (typed.Type == FormulaType.Null)
        {
            return target == FormulaType.Boolean ? Expression.Constant(false) : Expression.Constant(null, ClrType(target));
        }

        return typed.Expr;
    }

    private Expression IsBlank(Typed typed) => typed.Type switch
    {
        FormulaType.Null => Expression.Constant(true),
        FormulaType.Boolean => Expression.Constant(false),
        FormulaType.Number or FormulaType.Date or FormulaType.DateTime => Expression.Not(Expression.Property(typed.Expr, "HasValue")),
        _ => Call(nameof(FormulaFunctions.IsBlank), typed.Expr),
    };

    private static FormulaException TypeError(string what, string expected, FormulaType received, FormulaSyntax at) =>
        FormulaException.At(at.Span, $"Error: Incorrect parameter type for {what}. Expected {expected}, received {TypeName(received)}");

    private static string Function(CallSyntax call) => $"function '{call.Name.ToUpperInvariant()}()'";

    public Typed Bind(FormulaSyntax node, PicklistUse use = PicklistUse.None) => node switch
    {
        LiteralSyntax literal => literal.Type switch
        {
            FormulaType.Number => new(FormulaType.Number, Expression.Constant((decimal?)(decimal)literal.Value!, typeof(decimal?))),
            FormulaType.Boolean => new(FormulaType.Boolean, Expression.Constant((bool)literal.Value!)),
            FormulaType.Text => new(FormulaType.Text, Expression.Constant((string)literal.Value!, typeof(string))),
            _ => new(FormulaType.Null, Expression.Constant(null, typeof(object))),
        },
        ParenthesizedSyntax parenthesized => Bind(parenthesized.Inner, use),
        FieldSyntax field => BindField(field, use),
        UnarySyntax unary => BindUnary(unary),
        BinarySyntax binary => BindBinary(binary),
        CallSyntax call => BindCall(call),
        _ => throw new InvalidOperationException($"Unknown syntax {node.GetType().Name}."),
    };

    private Typed BindField(FieldSyntax syntax, PicklistUse use)
    {
        FormulaField? field = null;
        var isVariable = false;
        if (syntax.Path.Count == 1 && options.Variables is { } variables)
        {
            foreach (var (name, type) in variables)
            {
                if (name.Equals(syntax.Path[0], StringComparison.OrdinalIgnoreCase))
                {
                    field = new FormulaField(name, type, "var:" + name);
                    isVariable = true;
                    break;
                }
            }
        }

        field ??= schema.Resolve(rootObject, syntax.Path)
            ?? throw FormulaException.At(syntax.Span, $"Error: Field {syntax.Name} does not exist. Check spelling.");

        if ((field.Type == FormulaType.Picklist && use is not (PicklistUse.Picklist or PicklistUse.Any))
            || (field.Type == FormulaType.MultiPicklist && use is not (PicklistUse.Multi or PicklistUse.Any)))
        {
            throw FormulaException.At(syntax.Span,
                $"Error: Field {syntax.Name} is a picklist field. Picklist fields are only supported in certain functions.");
        }

        if (field.Type == FormulaType.Null)
        {
            throw new InvalidOperationException($"The schema resolved {syntax.Name} with the type Null.");
        }

        var key = (isVariable ? "var:" : "field:") + field.Path;
        if (!bound.TryGetValue(key, out var expression))
        {
            expression = Adapt(binder.Bind(field, Row), field);
            if (options.BlankAsZero && field.Type == FormulaType.Number)
            {
                expression = Expression.Convert(Expression.Coalesce(expression, Expression.Constant(0m)), typeof(decimal?));
            }

            bound[key] = expression;
            (isVariable ? Variables : Fields).Add(field);
        }

        return new(field.Type, expression);
    }

    private static Expression Adapt(Expression expression, FormulaField field)
    {
        var target = ClrType(field.Type);
        if (expression.Type == target)
        {
            return expression;
        }

        if (target == typeof(bool) && expression.Type == typeof(bool?))
        {
            return Expression.Coalesce(expression, Expression.Constant(false));
        }

        if (Nullable.GetUnderlyingType(target) == expression.Type)
        {
            return Expression.Convert(expression, target);
        }

        throw new InvalidOperationException(
            $"The binder returned {expression.Type.Name} for {field.Path}; a {field.Type} field needs {target.Name}.");
    }

    private Typed BindUnary(UnarySyntax unary)
    {
        var operand = Bind(unary.Operand);
        if (unary.Operator == "!")
        {
            Expect(operand, FormulaType.Boolean, $"operator '!'", unary.Operand);
            return new(FormulaType.Boolean, Expression.Not(Coerce(operand, FormulaType.Boolean)));
        }

        Expect(operand, FormulaType.Number, $"operator '-'", unary.Operand);
        return new(FormulaType.Number, Expression.Negate(Coerce(operand, FormulaType.Number)));
    }

    private static void Expect(Typed typed, FormulaType expected, string what, FormulaSyntax at)
    {
        if (typed.Type != expected && typed.Type != FormulaType.Null)
        {
            throw TypeError(what, TypeName(expected), typed.Type, at);
        }
    }

    private Typed BindBinary(BinarySyntax binary)
    {
        var op = binary.Operator;
        var what = $"operator '{op}'";
        var left = Bind(binary.Left);
        var right = Bind(binary.Right);
        var lt = left.Type == FormulaType.Null ? right.Type : left.Type;
        var rt = right.Type == FormulaType.Null ? left.Type : right.Type;

        switch (op)
        {
            case "&&" or "||":
                Expect(left, FormulaType.Boolean, what, binary.Left);
                Expect(right, FormulaType.Boolean, what, binary.Right);
                var l = Coerce(left, FormulaType.Boolean);
                var r = Coerce(right, FormulaType.Boolean);
                return new(FormulaType.Boolean, op == "&&" ? Expression.AndAlso(l, r) : Expression.OrElse(l, r));

            case "&":
                Expect(left, FormulaType.Text, what, binary.Left);
                Expect(right, FormulaType.Text, what, binary.Right);
                return Concat(left, right);

            case "=" or "<>":
                return BindEquality(binary, left, right, op == "<>");

            case "<" or ">" or "<=" or ">=":
                return BindComparison(binary, left, right, lt, rt);

            case "+" or "-":
                return BindAdditive(binary, left, right, lt, rt);

            default:
                return BindMultiplicative(binary, left, right);
        }
    }

    private Typed Concat(Typed left, Typed right) =>
        new(FormulaType.Text, Call(nameof(FormulaFunctions.Concat), Coerce(left, FormulaType.Text), Coerce(right, FormulaType.Text)));

    /// <summary>&lt;, &gt;, &lt;=, &gt;=: two numbers, dates or date/times of the same type.</summary>
    private static Typed BindComparison(BinarySyntax binary, Typed left, Typed right, FormulaType lt, FormulaType rt)
    {
        var what = $"operator '{binary.Operator}'";
        if (lt is not (FormulaType.Number or FormulaType.Date or FormulaType.DateTime or FormulaType.Null))
        {
            throw TypeError(what, "Number, Date, DateTime", lt, binary.Left);
        }

        if (rt != lt)
        {
            throw TypeError(what, TypeName(lt), rt, binary.Right);
        }

        if (lt == FormulaType.Null)
        {
            return new(FormulaType.Boolean, Expression.Constant(false));
        }

        var a = Coerce(left, lt);
        var b = Coerce(right, lt);
        return new(FormulaType.Boolean, binary.Operator switch
        {
            "<" => Expression.LessThan(a, b, false, null),
            ">" => Expression.GreaterThan(a, b, false, null),
            "<=" => Expression.LessThanOrEqual(a, b, false, null),
            _ => Expression.GreaterThanOrEqual(a, b, false, null),
        });
    }

    /// <summary>*, /, ^: two numbers.</summary>
    private Typed BindMultiplicative(BinarySyntax binary, Typed left, Typed right)
    {
        var what = $"operator '{binary.Operator}'";
        Expect(left, FormulaType.Number, what, binary.Left);
        Expect(right, FormulaType.Number, what, binary.Right);
        var a = Coerce(left, FormulaType.Number);
        var b = Coerce(right, FormulaType.Number);
        return new(FormulaType.Number, binary.Operator switch
        {
            "*" => Overflowing(Expression.Multiply(a, b)),
            "/" => Call(nameof(FormulaFunctions.Divide), Runtime, a, b),
            _ => Call(nameof(FormulaFunctions.Power), Runtime, a, b),
        });
    }

    private Typed BindEquality(BinarySyntax binary, Typed left, Typed right, bool negate)
    {
        Expression result;
        if (left.Type == FormulaType.Null || right.Type == FormulaType.Null)
        {
            // x = NULL tests for blank, like ISBLANK(x).
            result = IsBlank(left.Type == FormulaType.Null ? right : left);
        }
        else
        {
            if (left.Type != right.Type)
            {
                throw TypeError($"operator '{binary.Operator}'", TypeName(left.Type), right.Type, binary.Right);
            }

            if (left.Type == FormulaType.Text)
            {
                result = Call(nameof(FormulaFunctions.TextEquals), left.Expr, right.Expr);
            }
            else
            {
                // Lifted: blank = blank is true, blank = a value is false (and <> is the negation).
                return new(FormulaType.Boolean, negate
                    ? Expression.NotEqual(left.Expr, right.Expr, false, null)
                    : Expression.Equal(left.Expr, right.Expr, false, null));
            }
        }

        return new(FormulaType.Boolean, negate ? Expression.Not(result) : result);
    }

    private Typed BindAdditive(BinarySyntax binary, Typed left, Typed right, FormulaType lt, FormulaType rt)
    {
        var plus = binary.Operator == "+";
        if (lt == FormulaType.Null && rt == FormulaType.Null)
        {
            lt = rt = FormulaType.Number;
        }

        switch (lt, rt)
        {
            case (FormulaType.Number, FormulaType.Number):
                {
                    var a = Coerce(left, FormulaType.Number);
                    var b = Coerce(right, FormulaType.Number);
                    return new(FormulaType.Number, Overflowing(plus ? Expression.Add(a, b) : Expression.Subtract(a, b)));
                }

            case (FormulaType.Text, FormulaType.Text) when plus:
                return Concat(left, right);

            case (FormulaType.Date or FormulaType.DateTime, FormulaType.Number):
                {
                    var days = Coerce(right, FormulaType.Number);
                    return new(lt, Call(nameof(FormulaFunctions.AddDays), Runtime, Coerce(left, lt), plus ? days : Expression.Negate(days)));
                }

            case (FormulaType.Number, FormulaType.Date or FormulaType.DateTime) when plus:
                return new(rt, Call(nameof(FormulaFunctions.AddDays), Runtime, Coerce(right, rt), Coerce(left, FormulaType.Number)));

            case (FormulaType.Date, FormulaType.Date) or (FormulaType.DateTime, FormulaType.DateTime) when !plus:
                return new(FormulaType.Number, Call(nameof(FormulaFunctions.DaysBetween), Coerce(left, lt), Coerce(right, rt)));

            default:
                throw AdditiveTypeError(binary, lt, rt);
        }
    }

    /// <summary>The error for + or - on operands that neither adds nor subtracts: the left one if it is wrong, else the right one.</summary>
    private static FormulaException AdditiveTypeError(BinarySyntax binary, FormulaType lt, FormulaType rt)
    {
        var what = $"operator '{binary.Operator}'";
        var plus = binary.Operator == "+";
        if (lt is not (FormulaType.Number or FormulaType.Date or FormulaType.DateTime) && !(plus && lt == FormulaType.Text))
        {
            return TypeError(what, plus ? "Number, Date, DateTime, Text" : "Number, Date, DateTime", lt, binary.Left);
        }

        var expected = lt switch
        {
            FormulaType.Text => "Text",
            FormulaType.Number when plus => "Number, Date, DateTime",
            FormulaType.Number => "Number",
            _ when plus => "Number",
            _ => $"Number, {TypeName(lt)}",
        };
        return TypeError(what, expected, rt, binary.Right);
    }

    private BinaryExpression Overflowing(BinaryExpression expression)
    {
        CanFail = true;
        return expression;
    }

    // Functions

    private static void Arity(CallSyntax call, int min, int max)
    {
        var count = call.Arguments.Count;
        if (count >= min && count <= max)
        {
            return;
        }

        var expected = min == max ? $"{min}" : max == int.MaxValue ? $"{min} or more" : max == min + 1 ? $"{min} or {max}" : $"{min} to {max}";
        throw FormulaException.At(call.NameSpan,
            $"Error: Incorrect number of parameters for function '{call.Name.ToUpperInvariant()}()'. Expected {expected}, received {count}");
    }

    private Expression Arg(CallSyntax call, int index, FormulaType expected, PicklistUse use = PicklistUse.None)
    {
        var typed = Bind(call.Arguments[index], use);
        if (typed.Type != expected && typed.Type != FormulaType.Null)
        {
            throw TypeError(Function(call), TypeName(expected), typed.Type, call.Arguments[index]);
        }

        return Coerce(typed, expected);
    }

    private static FormulaType Unify(CallSyntax call, FormulaType current, Typed next, FormulaSyntax at)
    {
        if (next.Type == FormulaType.Null || next.Type == current)
        {
            return current;
        }

        if (current == FormulaType.Null)
        {
            return next.Type;
        }

        throw TypeError(Function(call), TypeName(current), next.Type, at);
    }

    /// <summary>Binds a call of one function; <paramref name="binding"/> is the binding the call is in.</summary>
    private delegate Typed FunctionBinder(FormulaBinding binding, CallSyntax call);

    /// <summary>The functions by upper-case name: each family's table is in its own file.</summary>
    private static readonly Dictionary<string, FunctionBinder> Functions =
        new[] { LogicalFunctions(), TextFunctions(), MathFunctions(), DateFunctions() }
            .SelectMany(family => family)
            .ToDictionary(function => function.Name, function => function.Bind, StringComparer.Ordinal);

    private Typed BindCall(CallSyntax call)
    {
        var name = call.Name.ToUpperInvariant();
        if (!Functions.TryGetValue(name, out var bind))
        {
            throw FormulaException.At(call.NameSpan, $"Error: Unknown function {name}. Check spelling.");
        }

        return bind(this, call);
    }

    /// <summary>A function that takes one argument of each of <paramref name="parameters"/> and calls the helper <paramref name="helper"/> with them.</summary>
    private static FunctionBinder Helper(FormulaType result, string helper, params FormulaType[] parameters) =>
        (b, call) => b.BindHelperCall(call, result, helper, withRuntime: false, parameters);

    /// <summary>Like <see cref="Helper"/>, for a helper that can fail: it takes the runtime before the arguments.</summary>
    private static FunctionBinder HelperWithRuntime(FormulaType result, string helper, params FormulaType[] parameters) =>
        (b, call) => b.BindHelperCall(call, result, helper, withRuntime: true, parameters);

    private Typed BindHelperCall(CallSyntax call, FormulaType result, string helper, bool withRuntime, FormulaType[] parameters)
    {
        Arity(call, parameters.Length, parameters.Length);
        var arguments = new List<Expression>(parameters.Length + 1);
        if (withRuntime)
        {
            arguments.Add(Runtime);
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            arguments.Add(Arg(call, i, parameters[i]));
        }

        return new(result, Call(helper, [.. arguments]));
    }

    /// <summary>AND, OR, MIN, MAX: one or more arguments of <paramref name="type"/>, combined left to right.</summary>
    private Typed Fold(CallSyntax call, FormulaType type, Func<Expression, Expression, Expression> combine)
    {
        Arity(call, 1, int.MaxValue);
        var result = Arg(call, 0, type);
        for (var i = 1; i < call.Arguments.Count; i++)
        {
            result = combine(result, Arg(call, i, type));
        }

        return new(type, result);
    }
}
