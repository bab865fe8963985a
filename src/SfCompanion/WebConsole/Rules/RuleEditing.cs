using SfCompanion.Rules;

namespace SfCompanion.WebConsole.Rules;

/// <summary>What the rule editor's page and its live preview share: the preview asked for a form, and where each problem goes.</summary>
public static class RuleEditing
{
    /// <summary>Sample records shown under a preview.</summary>
    public const int Sample = 10;

    public static RulePreviewRequest PreviewRequest(RuleForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var breakdown = string.IsNullOrWhiteSpace(form.BreakdownBy) ? null : form.BreakdownBy.Trim();
        return new RulePreviewRequest { Draft = form.ToDefinition(), BreakdownBy = breakdown, Sample = Sample };
    }

    /// <summary>The problems of one formula field: <c>combine</c>, or <c>criterion {name}</c>.</summary>
    public static IReadOnlyList<RuleProblem> For(IReadOnlyList<RuleProblem> problems, string part) =>
        [.. problems.Where(p => string.Equals(p.Part, part, StringComparison.Ordinal))];
}
