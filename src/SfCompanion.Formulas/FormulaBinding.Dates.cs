using System.Linq.Expressions;

namespace SfCompanion.Formulas;

/// <summary>Date functions: the clock, building and converting dates, their parts, adding months.</summary>
internal sealed partial class FormulaBinding
{
    private static (string Name, FunctionBinder Bind)[] DateFunctions() =>
    [
        ("TODAY", (b, call) => b.BindClock(call, FormulaType.Date, nameof(FormulaRuntime.Today))),
        ("NOW", (b, call) => b.BindClock(call, FormulaType.DateTime, nameof(FormulaRuntime.Now))),
        ("DATE", HelperWithRuntime(FormulaType.Date, nameof(FormulaFunctions.MakeDate), FormulaType.Number, FormulaType.Number, FormulaType.Number)),
        ("DATEVALUE", (b, call) => b.BindDateValue(call)),
        ("YEAR", Helper(FormulaType.Number, nameof(FormulaFunctions.Year), FormulaType.Date)),
        ("MONTH", Helper(FormulaType.Number, nameof(FormulaFunctions.Month), FormulaType.Date)),
        ("DAY", Helper(FormulaType.Number, nameof(FormulaFunctions.Day), FormulaType.Date)),
        ("ADDMONTHS", (b, call) => b.BindAddMonths(call)),
    ];

    /// <summary>TODAY and NOW: the runtime's <paramref name="property"/>, as a value of <paramref name="type"/>.</summary>
    private Typed BindClock(CallSyntax call, FormulaType type, string property)
    {
        Arity(call, 0, 0);
        UsesToday = true;
        return new(type, Expression.Convert(Expression.Property(Runtime, property), ClrType(type)));
    }

    private Typed BindDateValue(CallSyntax call)
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

    private Typed BindAddMonths(CallSyntax call)
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
}
