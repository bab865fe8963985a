namespace SfCompanion.Emulator.Soql;

/// <summary>Parsed SOQL, before names are resolved against the object model.</summary>
internal sealed record SoqlQuery(
    IReadOnlyList<FieldPath> Fields,
    bool IsCount,
    string From,
    SoqlCondition? Where,
    IReadOnlyList<OrderItem> OrderBy,
    int? Limit,
    int? Offset);

internal sealed record FieldPath(IReadOnlyList<string> Parts)
{
    public override string ToString() => string.Join('.', Parts);
}

internal sealed record OrderItem(FieldPath Field, bool Descending, bool? NullsFirst);

internal abstract record SoqlCondition;

internal sealed record AndCondition(IReadOnlyList<SoqlCondition> Operands) : SoqlCondition;

internal sealed record OrCondition(IReadOnlyList<SoqlCondition> Operands) : SoqlCondition;

internal sealed record NotCondition(SoqlCondition Operand) : SoqlCondition;

internal sealed record ComparisonCondition(FieldPath Field, string Operator, SoqlLiteral Value) : SoqlCondition;

/// <summary>IN, NOT IN, INCLUDES and EXCLUDES: an operator with a list of values.</summary>
internal sealed record SetCondition(FieldPath Field, string Operator, IReadOnlyList<SoqlLiteral> Values) : SoqlCondition;

internal enum LiteralKind
{
    String,
    Number,
    Boolean,
    Null,
    Date,
    DateTime,
    DateFunction,
}

internal sealed record SoqlLiteral(LiteralKind Kind, object? Value, int N = 0)
{
    public override string ToString() => Kind switch
    {
        LiteralKind.String => $"'{Value}'",
        LiteralKind.Null => "null",
        LiteralKind.DateFunction when N != 0 => $"{Value}:{N}",
        _ => Value?.ToString() ?? "",
    };
}
