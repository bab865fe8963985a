using SfCompanion.Rules;

namespace SfCompanion.WebConsole.Rules;

/// <summary>The roll-up editor's fields as posted (<c>Rollup.Object</c>, <c>Rollup.Filter</c>…); blanks read as none.</summary>
public sealed class RollupForm
{
    /// <summary>The aggregate functions offered, as the API takes them.</summary>
    public static readonly IReadOnlyList<string> Functions = ["COUNT", "COUNT_DISTINCT", "SUM", "MIN", "MAX", "AVG"];

    public string? Name { get; set; }

    public string? Object { get; set; }

    public string? ChildObject { get; set; }

    public string? Relationship { get; set; }

    public string? Function { get; set; }

    public string? Field { get; set; }

    public string? Filter { get; set; }

    public string? Target { get; set; }

    public string? Description { get; set; }

    /// <summary>An empty form for a new roll-up: won opportunities onto their account.</summary>
    public static RollupForm New() => new() { Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "IsWon" };

    public static RollupForm From(string name, RollupDefinition rollup)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        return new()
        {
            Name = name,
            Object = rollup.Object,
            ChildObject = rollup.ChildObject,
            Relationship = rollup.Relationship,
            Function = rollup.Function,
            Field = rollup.Field,
            Filter = rollup.Filter,
            Target = rollup.Target,
            Description = rollup.Description,
        };
    }

    public RollupDefinition ToDefinition() => new()
    {
        Name = Name?.Trim() ?? "",
        Object = Object?.Trim() ?? "",
        ChildObject = ChildObject?.Trim() ?? "",
        Relationship = Relationship?.Trim() ?? "",
        Function = string.IsNullOrWhiteSpace(Function) ? "COUNT" : Function.Trim().ToUpperInvariant(),
        Field = Blank(Field),
        Filter = Blank(Filter),
        Target = Blank(Target),
        Description = Blank(Description),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
