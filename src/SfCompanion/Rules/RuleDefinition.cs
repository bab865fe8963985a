namespace SfCompanion.Rules;

/// <summary>
/// A rule on one object: named criteria combined by a formula over their names, and the fields it writes. VIP is
/// the first use. Saved rules are versioned; a draft with the same shape is what the what-if previews.
/// </summary>
public sealed record RuleDefinition
{
    /// <summary>Lower-case letters, digits and dashes (e.g. <c>vip</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary><c>Lead</c>, <c>Contact</c>, <c>Account</c> or any synced object.</summary>
    public string Object { get; init; } = "";

    public IReadOnlyList<CriterionDefinition> Criteria { get; init; } = [];

    /// <summary>How criteria combine, e.g. <c>(recent_win || loyal_quiet) &amp;&amp; not_partner</c>; empty means all criteria hold.</summary>
    public string? Combine { get; init; }

    public RuleTargets Targets { get; init; } = new();

    public bool Enabled { get; init; } = true;

    /// <summary>Compute and show, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// On leads and contacts, a person opted out of email (<c>HasOptedOutOfEmail</c>) never matches — invitations are
    /// what rules like VIP feed. Set false for rules that are not used to contact people.
    /// </summary>
    public bool ExcludeOptedOut { get; init; } = true;

    /// <summary>Salesforce's "treat blank fields as zeroes" for the rule's number fields (default: blanks stay blank).</summary>
    public bool BlankAsZero { get; init; }

    public string? Description { get; init; }
}
