using System.Linq.Expressions;
using System.Text.RegularExpressions;

namespace SfCompanion.Formulas;

/// <summary>Text functions: conversions, measures, case, searching and REGEX.</summary>
internal sealed partial class FormulaBinding
{
    private static (string Name, FunctionBinder Bind)[] TextFunctions() =>
    [
        ("TEXT", (b, call) => b.BindText(call)),
        ("VALUE", HelperWithRuntime(FormulaType.Number, nameof(FormulaFunctions.Value), FormulaType.Text)),
        ("LEN", Helper(FormulaType.Number, nameof(FormulaFunctions.Len), FormulaType.Text)),
        ("LOWER", Helper(FormulaType.Text, nameof(FormulaFunctions.Lower), FormulaType.Text)),
        ("UPPER", Helper(FormulaType.Text, nameof(FormulaFunctions.Upper), FormulaType.Text)),
        ("TRIM", Helper(FormulaType.Text, nameof(FormulaFunctions.Trim), FormulaType.Text)),
        ("CONTAINS", Helper(FormulaType.Boolean, nameof(FormulaFunctions.Contains), FormulaType.Text, FormulaType.Text)),
        ("BEGINS", Helper(FormulaType.Boolean, nameof(FormulaFunctions.Begins), FormulaType.Text, FormulaType.Text)),
        ("LEFT", Helper(FormulaType.Text, nameof(FormulaFunctions.Left), FormulaType.Text, FormulaType.Number)),
        ("RIGHT", Helper(FormulaType.Text, nameof(FormulaFunctions.Right), FormulaType.Text, FormulaType.Number)),
        ("MID", Helper(FormulaType.Text, nameof(FormulaFunctions.Mid), FormulaType.Text, FormulaType.Number, FormulaType.Number)),
        ("FIND", (b, call) => b.BindFind(call)),
        ("SUBSTITUTE", Helper(FormulaType.Text, nameof(FormulaFunctions.Substitute), FormulaType.Text, FormulaType.Text, FormulaType.Text)),
        ("REGEX", (b, call) => b.BindRegex(call)),
    ];

    private Typed BindText(CallSyntax call)
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

    private Typed BindFind(CallSyntax call)
    {
        Arity(call, 2, 3);
        return new(FormulaType.Number, Call(nameof(FormulaFunctions.Find), Arg(call, 0, FormulaType.Text), Arg(call, 1, FormulaType.Text),
            call.Arguments.Count == 3 ? Arg(call, 2, FormulaType.Number) : Expression.Constant(1m, typeof(decimal?))));
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
