using SfCompanion.Rules;

namespace SfCompanion.WebConsole.Rules;

/// <summary>
/// The rule editor's fields as posted (names <c>Form.Object</c>, <c>Form.Criteria[0].Formula</c>…), and the same
/// shape as JSON for the live preview. Rows whose name and formula are both empty are ignored (the editor always
/// offers one empty row to add a criterion).
/// </summary>
public sealed class RuleForm
{
    public string? Name { get; set; }

    public string? Object { get; set; }

    public List<CriterionForm> Criteria { get; set; } = [];

    public string? Combine { get; set; }

    public string? Description { get; set; }

    public string? Flag { get; set; }

    public string? Reasons { get; set; }

    public string? Since { get; set; }

    public string? Until { get; set; }

    public bool Enabled { get; set; }

    public bool DryRun { get; set; }

    public bool ExcludeOptedOut { get; set; }

    public bool BlankAsZero { get; set; }

    /// <summary>A formula to count matches by in the preview (e.g. <c>TEXT(Account.Type)</c>).</summary>
    public string? BreakdownBy { get; set; }

    /// <summary>Which button was pressed: <c>preview</c> or <c>save</c>.</summary>
    public string? Action { get; set; }

    public static RuleForm From(RuleDefinition rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new RuleForm
        {
            Name = rule.Name,
            Object = rule.Object,
            Criteria = [.. rule.Criteria.Select(c => new CriterionForm { Name = c.Name, Formula = c.Formula, Description = c.Description })],
            Combine = rule.Combine,
            Description = rule.Description,
            Flag = rule.Targets.Flag,
            Reasons = rule.Targets.Reasons,
            Since = rule.Targets.Since,
            Until = rule.Targets.Until,
            Enabled = rule.Enabled,
            DryRun = rule.DryRun,
            ExcludeOptedOut = rule.ExcludeOptedOut,
            BlankAsZero = rule.BlankAsZero,
        };
    }

    /// <summary>A new rule: on contacts, enabled, opted-out people excluded.</summary>
    public static RuleForm New() => new() { Object = "Contact", Enabled = true, ExcludeOptedOut = true };

    public RuleDefinition ToDefinition() => new()
    {
        Name = Trim(Name) ?? "",
        Object = Trim(Object) ?? "",
        Criteria = [.. Criteria.Where(c => Trim(c.Name) is not null || Trim(c.Formula) is not null)
            .Select(c => new CriterionDefinition { Name = Trim(c.Name) ?? "", Formula = c.Formula?.Trim() ?? "", Description = Trim(c.Description) })],
        Combine = Trim(Combine),
        Description = Trim(Description),
        Targets = new RuleTargets { Flag = Trim(Flag), Reasons = Trim(Reasons), Since = Trim(Since), Until = Trim(Until) },
        Enabled = Enabled,
        DryRun = DryRun,
        ExcludeOptedOut = ExcludeOptedOut,
        BlankAsZero = BlankAsZero,
    };

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
