using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;

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
internal sealed class FormulaBinding(IFormulaSchema schema, IFormulaBinder binder, string rootObject, FormulaOptions options)
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
                return new(FormulaType.Text, Call(nameof(FormulaFunctions.Concat), Coerce(left, FormulaType.Text), Coerce(right, FormulaType.Text)));

            case "=" or "<>":
                return BindEquality(binary, left, right, op == "<>");

            case "<" or ">" or "<=" or ">=":
                {
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
                    return new(FormulaType.Boolean, op switch
                    {
                        "<" => Expression.LessThan(a, b, false, null),
                        ">" => Expression.GreaterThan(a, b, false, null),
                        "<=" => Expression.LessThanOrEqual(a, b, false, null),
                        _ => Expression.GreaterThanOrEqual(a, b, false, null),
                    });
                }

            case "+" or "-":
                return BindAdditive(binary, left, right, lt, rt);

            default:
                {
                    Expect(left, FormulaType.Number, what, binary.Left);
                    Expect(right, FormulaType.Number, what, binary.Right);
                    var a = Coerce(left, FormulaType.Number);
                    var b = Coerce(right, FormulaType.Number);
                    return new(FormulaType.Number, op switch
                    {
                        "*" => Overflowing(Expression.Multiply(a, b)),
                        "/" => Call(nameof(FormulaFunctions.Divide), Runtime, a, b),
                        _ => Call(nameof(FormulaFunctions.Power), Runtime, a, b),
                    });
                }
        }
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
        var what = $"operator '{binary.Operator}'";
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
                return new(FormulaType.Text, Call(nameof(FormulaFunctions.Concat), Coerce(left, FormulaType.Text), Coerce(right, FormulaType.Text)));

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
                if (lt is not (FormulaType.Number or FormulaType.Date or FormulaType.DateTime) && !(plus && lt == FormulaType.Text))
                {
                    throw TypeError(what, plus ? "Number, Date, DateTime, Text" : "Number, Date, DateTime", lt, binary.Left);
                }

                var expected = lt switch
                {
                    FormulaType.Text => "Text",
                    FormulaType.Number when plus => "Number, Date, DateTime",
                    FormulaType.Number => "Number",
                    _ when plus => "Number",
                    _ => $"Number, {TypeName(lt)}",
                };
                throw TypeError(what, expected, rt, binary.Right);
        }
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

    private Typed BindCall(CallSyntax call)
    {
        var name = call.Name.ToUpperInvariant();
        switch (name)
        {
            case "IF":
                {
                    Arity(call, 3, 3);
                    var condition = Arg(call, 0, FormulaType.Boolean);
                    var whenTrue = Bind(call.Arguments[1]);
                    var whenFalse = Bind(call.Arguments[2]);
                    var type = Unify(call, whenTrue.Type, whenFalse, call.Arguments[2]);
                    return new(type, Expression.Condition(condition, Coerce(whenTrue, type), Coerce(whenFalse, type), ClrType(type)));
                }

            case "CASE":
                return BindCase(call);

            case "AND" or "OR":
                {
                    Arity(call, 1, int.MaxValue);
                    var result = Arg(call, 0, FormulaType.Boolean);
                    for (var i = 1; i < call.Arguments.Count; i++)
                    {
                        var next = Arg(call, i, FormulaType.Boolean);
                        result = name == "AND" ? Expression.AndAlso(result, next) : Expression.OrElse(result, next);
                    }

                    return new(FormulaType.Boolean, result);
                }

            case "NOT":
                Arity(call, 1, 1);
                return new(FormulaType.Boolean, Expression.Not(Arg(call, 0, FormulaType.Boolean)));

            case "ISBLANK":
                Arity(call, 1, 1);
                return new(FormulaType.Boolean, IsBlank(Bind(call.Arguments[0], PicklistUse.Any)));

            case "ISNULL":
                {
                    Arity(call, 1, 1);
                    var value = Bind(call.Arguments[0], PicklistUse.Any);

                    // Salesforce: text is never null, so ISNULL of text is always false.
                    return new(FormulaType.Boolean, value.Type == FormulaType.Text ? Expression.Constant(false) : IsBlank(value));
                }

            case "BLANKVALUE" or "NULLVALUE":
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
                    if (name == "NULLVALUE" && type == FormulaType.Text)
                    {
                        // Salesforce: text is never null; NULLVALUE of text returns the text.
                        return new(type, Coerce(value, type));
                    }

                    return new(type, Let(Coerce(value, type), v => Expression.Condition(IsBlank(new Typed(type, v)), fallback, v, ClrType(type))));
                }

            case "ISPICKVAL":
                {
                    Arity(call, 2, 2);
                    var picklist = Bind(call.Arguments[0], PicklistUse.Picklist);
                    if (picklist.Type != FormulaType.Picklist)
                    {
                        throw TypeError(Function(call), "Picklist", picklist.Type, call.Arguments[0]);
                    }

                    return new(FormulaType.Boolean, Call(nameof(FormulaFunctions.TextEquals), picklist.Expr, Arg(call, 1, FormulaType.Text)));
                }

            case "INCLUDES":
                {
                    Arity(call, 2, 2);
                    var values = Bind(call.Arguments[0], PicklistUse.Multi);
                    if (values.Type != FormulaType.MultiPicklist)
                    {
                        throw TypeError(Function(call), "MultiPicklist", values.Type, call.Arguments[0]);
                    }

                    return new(FormulaType.Boolean, Call(nameof(FormulaFunctions.Includes), values.Expr, Arg(call, 1, FormulaType.Text)));
                }

            case "TEXT":
                {
                    Arity(call, 1, 1);
                    var value = Bind(call.Arguments[0], PicklistUse.Picklist);
                    return new(FormulaType.Text, value.Type switch
                    {
                        FormulaType.Number => Call(nameof(FormulaFunctions.FormatNumber), value.Expr),
                        FormulaType.Date => Call(nameof(FormulaFunctions.FormatDate), value.Expr),
                        FormulaType.DateTime => Call(nameof(FormulaFunctions.FormatDateTime), value.Expr),
                        FormulaType.Picklist or FormulaType.Text => value.Expr,
                        FormulaType.Null => Expression.Constant(null, typeof(string)),
                        _ => throw TypeError(Function(call), "Number, Date, DateTime, Picklist", value.Type, call.Arguments[0]),
                    });
                }

            case "VALUE":
                Arity(call, 1, 1);
                return Number(Call(nameof(FormulaFunctions.Value), Runtime, Arg(call, 0, FormulaType.Text)));

            case "LEN":
                Arity(call, 1, 1);
                return Number(Call(nameof(FormulaFunctions.Len), Arg(call, 0, FormulaType.Text)));

            case "LOWER" or "UPPER" or "TRIM":
                Arity(call, 1, 1);
                return Text(Call(name[0] + name[1..].ToLowerInvariant(), Arg(call, 0, FormulaType.Text)));

            case "CONTAINS" or "BEGINS":
                Arity(call, 2, 2);
                return new(FormulaType.Boolean, Call(name == "CONTAINS" ? nameof(FormulaFunctions.Contains) : nameof(FormulaFunctions.Begins),
                    Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Text)));

            case "LEFT" or "RIGHT":
                Arity(call, 2, 2);
                return Text(Call(name == "LEFT" ? nameof(FormulaFunctions.Left) : nameof(FormulaFunctions.Right),
                    Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Number)));

            case "MID":
                Arity(call, 3, 3);
                return Text(Call(nameof(FormulaFunctions.Mid), Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Number), Arg(call, 2, FormulaType.Number)));

            case "FIND":
                Arity(call, 2, 3);
                return Number(Call(nameof(FormulaFunctions.Find), Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Text),
                    call.Arguments.Count == 3 ? Arg(call, 2, FormulaType.Number) : Expression.Constant(1m, typeof(decimal?))));

            case "SUBSTITUTE":
                Arity(call, 3, 3);
                return Text(Call(nameof(FormulaFunctions.Substitute), Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Text), Arg(call, 2, FormulaType.Text)));

            case "REGEX":
                return BindRegex(call);

            case "ROUND":
                Arity(call, 2, 2);
                return Number(Call(nameof(FormulaFunctions.Round), Runtime, Arg(call, 0, FormulaType.Number), Arg(call, 1, FormulaType.Number)));

            case "FLOOR" or "CEILING" or "ABS":
                Arity(call, 1, 1);
                return Number(Call(name[0] + name[1..].ToLowerInvariant(), Arg(call, 0, FormulaType.Number)));

            case "MIN" or "MAX":
                {
                    Arity(call, 1, int.MaxValue);
                    var result = Arg(call, 0, FormulaType.Number);
                    for (var i = 1; i < call.Arguments.Count; i++)
                    {
                        result = Call(name == "MIN" ? nameof(FormulaFunctions.Min) : nameof(FormulaFunctions.Max), result, Arg(call, i, FormulaType.Number));
                    }

                    return Number(result);
                }

            case "MOD":
                Arity(call, 2, 2);
                return Number(Call(nameof(FormulaFunctions.Modulo), Runtime, Arg(call, 0, FormulaType.Number), Arg(call, 1, FormulaType.Number)));

            case "TODAY":
                Arity(call, 0, 0);
                UsesToday = true;
                return new(FormulaType.Date, Expression.Convert(Expression.Property(Runtime, nameof(FormulaRuntime.Today)), typeof(DateOnly?)));

            case "NOW":
                Arity(call, 0, 0);
                UsesToday = true;
                return new(FormulaType.DateTime, Expression.Convert(Expression.Property(Runtime, nameof(FormulaRuntime.Now)), typeof(DateTime?)));

            case "DATE":
                Arity(call, 3, 3);
                return new(FormulaType.Date, Call(nameof(FormulaFunctions.MakeDate), Runtime,
                    Arg(call, 0, FormulaType.Number), Arg(call, 1, FormulaType.Number), Arg(call, 2, FormulaType.Number)));

            case "DATEVALUE":
                {
                    Arity(call, 1, 1);
                    var value = Bind(call.Arguments[0]);
                    return new(FormulaType.Date, value.Type switch
                    {
                        FormulaType.Date => value.Expr,
                        FormulaType.DateTime => Call(nameof(FormulaFunctions.DateValue), value.Expr),
                        FormulaType.Text => Call(nameof(FormulaFunctions.DateValue), Runtime, value.Expr),
                        FormulaType.Null => Expression.Constant(null, typeof(DateOnly?)),
                        _ => throw TypeError(Function(call), "DateTime, Text", value.Type, call.Arguments[0]),
                    });
                }

            case "YEAR" or "MONTH" or "DAY":
                Arity(call, 1, 1);
                return Number(Call(name[0] + name[1..].ToLowerInvariant(), Arg(call, 0, FormulaType.Date)));

            case "ADDMONTHS":
                {
                    Arity(call, 2, 2);
                    var date = Bind(call.Arguments[0]);
                    var type = date.Type == FormulaType.Null ? FormulaType.Date : date.Type;
                    if (type is not (FormulaType.Date or FormulaType.DateTime))
                    {
                        throw TypeError(Function(call), "Date, DateTime", date.Type, call.Arguments[0]);
                    }

                    return new(type, Call(nameof(FormulaFunctions.AddMonths), Runtime, Coerce(date, type), Arg(call, 1, FormulaType.Number)));
                }

            default:
                throw FormulaException.At(call.NameSpan, $"Error: Unknown function {name}. Check spelling.");
        }
    }

    private static Typed Number(Expression expression) => new(FormulaType.Number, expression);

    private static Typed Text(Expression expression) => new(FormulaType.Text, expression);

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
        var clr = ClrType(resultType);
        var subjectExpr = subject.Type == FormulaType.Null ? Expression.Constant(null, typeof(string)) : subject.Expr;

        return new(resultType, Let(subjectExpr, s =>
        {
            var chain = Coerce(otherwise, resultType);
            for (var i = values.Count - 1; i >= 0; i--)
            {
                var test = compareType == FormulaType.Text
                    ? (Expression)Call(nameof(FormulaFunctions.TextEquals), s, values[i])
                    : Expression.Equal(s, values[i], false, null);
                chain = Expression.Condition(test, Coerce(results[i], resultType), chain, clr);
            }

            return chain;
        }));
    }

    private Typed BindRegex(CallSyntax call)
    {
        Arity(call, 2, 2);
        var text = Arg(call, 0, FormulaType.Text);
        var patternSyntax = call.Arguments[1];
        while (patternSyntax is ParenthesizedSyntax p)
        {
            patternSyntax = p.Inner;
        }

        if (patternSyntax is LiteralSyntax { Type: FormulaType.Text, Value: string pattern })
        {
            Regex regex;
            try
            {
                regex = FormulaFunctions.WholeMatch(pattern);
            }
            catch (ArgumentException e)
            {
                throw FormulaException.At(patternSyntax.Span, $"Error: Invalid regular expression in function 'REGEX()': {e.Message}");
            }

            return new(FormulaType.Boolean, Call(nameof(FormulaFunctions.RegexMatch), Runtime, Expression.Constant(regex), text));
        }

        var cache = Expression.Constant(new FormulaFunctions.RegexCache());
        return new(FormulaType.Boolean, Call(nameof(FormulaFunctions.RegexMatch), Runtime, cache, text, Arg(call, 1, FormulaType.Text)));
    }
}
