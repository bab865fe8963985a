namespace SfCompanion.Formulas;

/// <summary>One compile-time error, located by 1-based line and column of the offending token.</summary>
/// <param name="Text">The message without its position, e.g. <c>Error: Field Foo__c does not exist. Check spelling.</c></param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Length">Length in characters of the offending text (at least 1).</param>
public sealed record FormulaError(string Text, int Line, int Column, int Length)
{
    /// <summary>The message with its position, e.g. <c>Error: Field Foo__c does not exist. Check spelling. (line 1, column 12)</c>.</summary>
    public string Message => $"{Text} (line {Line}, column {Column})";

    public override string ToString() => Message;
}

/// <summary>A formula that cannot be compiled: syntax, unknown field or function, type errors.</summary>
public sealed class FormulaException : Exception
{
    public FormulaException(IReadOnlyList<FormulaError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.Message)))
    {
        Errors = errors;
    }

    public FormulaException(FormulaError error)
        : this([error])
    {
    }

    public FormulaException()
        : this([])
    {
    }

    public FormulaException(string message)
        : base(message)
    {
        Errors = [];
    }

    public FormulaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>The errors found; the compiler stops at the first one, like Salesforce's syntax check.</summary>
    public IReadOnlyList<FormulaError> Errors { get; }

    internal static FormulaException At(FormulaSpan span, string text) =>
        new(new FormulaError(text, span.Line, span.Column, Math.Max(1, span.Length)));
}
