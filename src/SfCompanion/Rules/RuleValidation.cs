using System.Text.RegularExpressions;
using SfCompanion.Salesforce;

namespace SfCompanion.Rules;

/// <summary>Checks of a definition's shape before any formula is compiled: names, objects, fields and their types.</summary>
public static partial class RuleValidation
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex RuleName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex CriterionName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$")]
    private static partial Regex RollupName();

    public static List<RuleProblem> Check(RuleDefinition rule, IReadOnlyDictionary<string, SObjectDescribe> describes)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(describes);
        var name = string.IsNullOrWhiteSpace(rule.Name) ? "(unnamed)" : rule.Name;
        var problems = new List<RuleProblem>();
        if (!RuleName().IsMatch(rule.Name ?? ""))
        {
            problems.Add(new(name, "name", $"name = '{rule.Name}': lower-case letters, digits and dashes, starting with a letter (e.g. \"vip\")."));
        }

        if (!describes.TryGetValue(rule.Object ?? "", out var describe))
        {
            problems.Add(new(name, "object", $"object = '{rule.Object}': not a synced object whose fields are known. Use one of {string.Join(", ", describes.Keys.Order(StringComparer.Ordinal))} (fields are known after its first sync)."));
        }

        if (rule.Criteria.Count == 0)
        {
            problems.Add(new(name, "criteria", "A rule needs at least one criterion, e.g. { \"name\": \"big-client\", \"formula\": \"Account.Won_24m > 50000\" }."));
        }

        foreach (var group in rule.Criteria.GroupBy(c => RuleEngine.Identifier(c.Name ?? ""), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(new(name, "criterion " + group.First().Name, $"Criterion names must be different: '{group.First().Name}' is used {group.Count()} times."));
        }

        foreach (var criterion in rule.Criteria)
        {
            if (!CriterionName().IsMatch(criterion.Name ?? ""))
            {
                problems.Add(new(name, "criterion " + criterion.Name, $"criterion name '{criterion.Name}': letters, digits, dashes and underscores, starting with a letter (e.g. \"recent-win\")."));
            }

            if (string.IsNullOrWhiteSpace(criterion.Formula))
            {
                problems.Add(new(name, "criterion " + criterion.Name, "The criterion's formula is empty: write a Boolean formula, e.g. Account.Won_24m > 0."));
            }
        }

        if (describe is not null)
        {
            CheckTarget(problems, name, describe, rule.Targets.Flag, "flag", "boolean");
            CheckTarget(problems, name, describe, rule.Targets.Reasons, "reasons", "string", "textarea");
            CheckTarget(problems, name, describe, rule.Targets.Since, "since", "date");
            CheckTarget(problems, name, describe, rule.Targets.Until, "until", "date");
        }

        return problems;
    }

    private static void CheckTarget(List<RuleProblem> problems, string rule, SObjectDescribe describe, string? field, string target, params string[] types)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return;
        }

        if (describe.Field(field) is not { } found)
        {
            problems.Add(new(rule, "targets." + target, $"targets.{target} = '{field}': no such field on {describe.Name} in Salesforce. Deploy it (connected-app metadata) or name an existing field."));
        }
        else if (!types.Contains(found.Type, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(new(rule, "targets." + target, $"targets.{target} = '{field}': {describe.Name}.{found.Name} is a {found.Type} field; expected {string.Join(" or ", types)}."));
        }
    }

    public static List<RuleProblem> Check(RollupDefinition rollup, IReadOnlyDictionary<string, SObjectDescribe> describes)
    {
        ArgumentNullException.ThrowIfNull(rollup);
        ArgumentNullException.ThrowIfNull(describes);
        var part = "roll-up " + rollup.Name;
        var problems = new List<RuleProblem>();
        if (!RollupName().IsMatch(rollup.Name ?? ""))
        {
            problems.Add(new(rollup.Name ?? "", part, $"name = '{rollup.Name}': letters, digits and underscores, starting with a letter (e.g. \"Won_24m\")."));
        }

        if (!describes.TryGetValue(rollup.Object ?? "", out var parent))
        {
            problems.Add(new(rollup.Name ?? "", part, $"object = '{rollup.Object}': not a synced object whose fields are known ({string.Join(", ", describes.Keys.Order(StringComparer.Ordinal))})."));
        }
        else if (parent.Field(rollup.Name ?? "") is not null)
        {
            problems.Add(new(rollup.Name ?? "", part, $"name = '{rollup.Name}': {parent.Name} already has a field of that name; choose another."));
        }

        if (!describes.TryGetValue(rollup.ChildObject ?? "", out var child))
        {
            problems.Add(new(rollup.Name ?? "", part, $"childObject = '{rollup.ChildObject}': not a synced object whose fields are known."));
        }
        else if (child.Field(rollup.Relationship ?? "") is not { Type: "reference" } lookup)
        {
            problems.Add(new(rollup.Name ?? "", part, $"relationship = '{rollup.Relationship}': not a lookup field of {child.Name} (e.g. AccountId)."));
        }
        else if (parent is not null && !lookup.ReferenceTo.Contains(parent.Name, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add(new(rollup.Name ?? "", part, $"relationship = '{rollup.Relationship}': {child.Name}.{lookup.Name} refers to {string.Join(" or ", lookup.ReferenceTo)}, not {parent.Name}."));
        }

        if (!RollupEngine.Functions.Contains(rollup.Function ?? ""))
        {
            problems.Add(new(rollup.Name ?? "", part, $"function = '{rollup.Function}': one of {string.Join(", ", RollupEngine.Functions)}."));
        }
        else if (!string.Equals(rollup.Function, "COUNT", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(rollup.Field))
        {
            problems.Add(new(rollup.Name ?? "", part, $"field: {rollup.Function} needs the child field to aggregate (e.g. Amount)."));
        }

        return problems;
    }
}
