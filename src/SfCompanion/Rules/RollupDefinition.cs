namespace SfCompanion.Rules;

/// <summary>
/// A roll-up (a fact): an aggregate of a child object's records onto their parent through any lookup, like a
/// roll-up summary field but without the master-detail requirement and without a ceiling. Used in formulas as a field
/// of <see cref="Object"/> (<c>Won_24m</c> on Account, <c>Account.Won_24m</c> from Contact).
/// </summary>
public sealed record RollupDefinition
{
    /// <summary>Letters, digits and underscores, starting with a letter (e.g. <c>Won_24m</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The parent object the value is computed onto (e.g. <c>Account</c>).</summary>
    public string Object { get; init; } = "";

    /// <summary>The child object aggregated (e.g. <c>Opportunity</c>).</summary>
    public string ChildObject { get; init; } = "";

    /// <summary>The child's lookup field to the parent (e.g. <c>AccountId</c>; <c>WhoId</c> for tasks of contacts or leads).</summary>
    public string Relationship { get; init; } = "";

    /// <summary><c>SUM</c>, <c>COUNT</c>, <c>COUNT_DISTINCT</c>, <c>MIN</c>, <c>MAX</c> or <c>AVG</c>.</summary>
    public string Function { get; init; } = "COUNT";

    /// <summary>The child field (or formula) aggregated; optional for <c>COUNT</c>.</summary>
    public string? Field { get; init; }

    /// <summary>Which children count: a Boolean formula on the child (e.g. <c>IsWon &amp;&amp; CloseDate &gt;= ADDMONTHS(TODAY(), -24)</c>); empty is all.</summary>
    public string? Filter { get; init; }

    /// <summary>
    /// A field of <see cref="Object"/> in Salesforce to write the value to (a number, currency or date field, e.g.
    /// <c>Sfc_Won_24m__c</c>); written by the <c>rules</c> job, only where it changed. Empty: used in formulas only.
    /// </summary>
    public string? Target { get; init; }

    public string? Description { get; init; }
}
