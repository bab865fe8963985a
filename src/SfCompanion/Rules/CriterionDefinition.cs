namespace SfCompanion.Rules;

/// <summary>A named condition of a rule: a Boolean formula on the rule's object (e.g. <c>recent-win</c>: <c>Account.Won_24m &gt; 0</c>).</summary>
public sealed record CriterionDefinition
{
    /// <summary>Letters, digits, dashes and underscores (e.g. <c>big-client</c>); in the combining formula dashes read as underscores.</summary>
    public string Name { get; init; } = "";

    public string Formula { get; init; } = "";

    public string? Description { get; init; }
}
