namespace SfCompanion.Formulas;

/// <summary>Math functions: rounding, absolute value, minimum and maximum, modulo.</summary>
internal sealed partial class FormulaBinding
{
    private static (string Name, FunctionBinder Bind)[] MathFunctions() =>
    [
        ("ROUND", HelperWithRuntime(FormulaType.Number, nameof(FormulaFunctions.Round), FormulaType.Number, FormulaType.Number)),
        ("FLOOR", Helper(FormulaType.Number, nameof(FormulaFunctions.Floor), FormulaType.Number)),
        ("CEILING", Helper(FormulaType.Number, nameof(FormulaFunctions.Ceiling), FormulaType.Number)),
        ("ABS", Helper(FormulaType.Number, nameof(FormulaFunctions.Abs), FormulaType.Number)),
        ("MIN", (b, call) => b.Fold(call, FormulaType.Number, (x, y) => b.Call(nameof(FormulaFunctions.Min), x, y))),
        ("MAX", (b, call) => b.Fold(call, FormulaType.Number, (x, y) => b.Call(nameof(FormulaFunctions.Max), x, y))),
        ("MOD", HelperWithRuntime(FormulaType.Number, nameof(FormulaFunctions.Modulo), FormulaType.Number, FormulaType.Number)),
    ];
}
