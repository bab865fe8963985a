namespace SfCompanion.Formulas;

/// <summary>Where a piece of syntax is in the formula text: 0-based offset and length, 1-based line and column of its start.</summary>
public readonly record struct FormulaSpan(int Offset, int Length, int Line, int Column)
{
    /// <summary>The span from the start of <paramref name="first"/> to the end of <paramref name="last"/>.</summary>
    public static FormulaSpan Cover(FormulaSpan first, FormulaSpan last) =>
        new(first.Offset, Math.Max(first.Length, last.Offset + last.Length - first.Offset), first.Line, first.Column);
}

/// <summary>A node of a parsed formula (see <see cref="FormulaCompiler.Parse"/>).</summary>
public abstract record FormulaSyntax(FormulaSpan Span);

/// <summary>A number, text, TRUE/FALSE or NULL literal. Value is <c>decimal</c>, <c>string</c>, <c>bool</c> or null.</summary>
public sealed record LiteralSyntax(FormulaType Type, object? Value, FormulaSpan Span) : FormulaSyntax(Span);

/// <summary>A field or variable reference such as <c>Account.Owner.Name</c>.</summary>
public sealed record FieldSyntax(IReadOnlyList<string> Path, FormulaSpan Span) : FormulaSyntax(Span)
{
    public string Name => string.Join('.', Path);
}

/// <summary>A function call; <see cref="NameSpan"/> locates the function name.</summary>
public sealed record CallSyntax(string Name, IReadOnlyList<FormulaSyntax> Arguments, FormulaSpan NameSpan, FormulaSpan Span) : FormulaSyntax(Span);

/// <summary>Unary <c>-</c> or <c>!</c>.</summary>
public sealed record UnarySyntax(string Operator, FormulaSyntax Operand, FormulaSpan Span) : FormulaSyntax(Span);

/// <summary>A binary operator (<c>+ - * / ^ &amp; = == != &lt;&gt; &lt; &gt; &lt;= &gt;= &amp;&amp; ||</c>); <see cref="OperatorSpan"/> locates the operator.</summary>
public sealed record BinarySyntax(string Operator, FormulaSyntax Left, FormulaSyntax Right, FormulaSpan OperatorSpan, FormulaSpan Span) : FormulaSyntax(Span);

/// <summary>A parenthesised expression (kept for tooling; it compiles to its content).</summary>
public sealed record ParenthesizedSyntax(FormulaSyntax Inner, FormulaSpan Span) : FormulaSyntax(Span);
