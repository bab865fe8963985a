namespace SfCompanion.Rules;

/// <summary>A what-if: a draft rule (and optionally draft roll-ups) to count against the whole mirror, compared with a saved rule.</summary>
public sealed record RulePreviewRequest
{
    public RuleDefinition? Draft { get; init; }

    /// <summary>The saved rule to compare with (gained / lost); defaults to the draft's name when such a rule is saved.</summary>
    public string? Compare { get; init; }

    /// <summary>Roll-ups replacing saved ones of the same name (or added) for the draft only.</summary>
    public IReadOnlyList<RollupDefinition>? Rollups { get; init; }

    /// <summary>A formula on the rule's object to count matches by (e.g. <c>TEXT(Account.Type)</c> or <c>Account.Industry</c>).</summary>
    public string? BreakdownBy { get; init; }

    /// <summary>Matching records to return with their reasons (default 20).</summary>
    public int? Sample { get; init; }
}
