using SfCompanion.Rules;
using static SfCompanion.Tests.Rules.TestSchema;

namespace SfCompanion.Tests.Rules;

/// <summary>The shape of rules and roll-ups, checked before any formula: names, objects, criteria, targets and lookups.</summary>
public sealed class RuleValidationTests
{
    private static readonly RuleDefinition Valid = new()
    {
        Name = "vip",
        Object = "Contact",
        Criteria = [new() { Name = "recent-win", Formula = "Account.Won > 0" }, new() { Name = "not_partner", Formula = "TRUE" }],
        Targets = new() { Flag = "Sfc_Vip__c", Reasons = "Sfc_Vip_Reasons__c", Since = "Sfc_Vip_Since__c", Until = "Sfc_Vip_Until__c" },
    };

    private static readonly RollupDefinition Rollup = new() { Name = "Won_24m", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "IsWon" };

    private static List<RuleProblem> Check(RuleDefinition rule) => RuleValidation.Check(rule, All());

    private static List<RuleProblem> Check(RollupDefinition rollup) => RuleValidation.Check(rollup, All());

    [Fact]
    public void A_well_formed_rule_has_no_problems() => Assert.Empty(Check(Valid));

    [Theory]
    [InlineData("vip")]
    [InlineData("vip-2026")]
    [InlineData("a")]
    [InlineData("b2b-clients-of-the-north")]
    public void Rule_names_are_lower_case_letters_digits_and_dashes(string name) => Assert.Empty(Check(Valid with { Name = name }));

    [Theory]
    [InlineData("")]
    [InlineData("VIP")]
    [InlineData("vip_2026")]
    [InlineData("2026-vip")]
    [InlineData("-vip")]
    [InlineData("vip clients")]
    [InlineData("vip/2")]
    [InlineData("très-vip")]
    public void Other_rule_names_are_refused(string name)
    {
        var problem = Assert.Single(Check(Valid with { Name = name }));

        Assert.Equal("name", problem.Part);
        Assert.Contains($"name = '{name}'", problem.Message, StringComparison.Ordinal);
        Assert.Equal(name.Length == 0 ? "(unnamed)" : name, problem.Rule);
    }

    [Fact]
    public void A_rule_name_is_at_most_63_characters()
    {
        Assert.Empty(Check(Valid with { Name = "v" + new string('i', 62) }));
        Assert.Equal("name", Assert.Single(Check(Valid with { Name = "v" + new string('i', 63) })).Part);
    }

    [Fact]
    public void An_object_that_is_not_mirrored_is_refused_and_the_known_ones_are_listed()
    {
        var problem = Assert.Single(Check(Valid with { Object = "Lead" }));

        Assert.Equal("object", problem.Part);
        Assert.Contains("object = 'Lead'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Account, Contact, Group, Opportunity, Task, User", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Object_names_match_case_insensitively_as_in_Salesforce() => Assert.Empty(Check(Valid with { Object = "contact" }));

    [Fact]
    public void A_rule_without_criteria_is_refused() =>
        Assert.Equal("criteria", Assert.Single(Check(Valid with { Criteria = [] })).Part);

    [Fact]
    public void Criterion_names_must_differ_even_by_dash_or_underscore()
    {
        var problem = Assert.Single(Check(Valid with { Criteria = [new() { Name = "recent-win", Formula = "TRUE" }, new() { Name = "Recent_Win", Formula = "FALSE" }] }));

        Assert.Equal("criterion recent-win", problem.Part);
        Assert.Contains("used 2 times", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("recent win")]
    [InlineData("")]
    [InlineData("_x")]
    [InlineData("a.b")]
    public void Criterion_names_are_letters_digits_dashes_and_underscores(string name)
    {
        var problem = Assert.Single(Check(Valid with { Criteria = [new() { Name = name, Formula = "TRUE" }] }));

        Assert.Equal("criterion " + name, problem.Part);
        Assert.Contains($"criterion name '{name}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_criterion_formula_is_refused(string formula)
    {
        var problem = Assert.Single(Check(Valid with { Criteria = [new() { Name = "client", Formula = formula }] }));

        Assert.Equal("criterion client", problem.Part);
        Assert.Contains("formula is empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Check(new RuleDefinition { Name = "VIP", Object = "Nope", Criteria = [new() { Name = "1", Formula = "" }] });

        Assert.Equal(["criterion 1", "criterion 1", "name", "object"], problems.Select(p => p.Part).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal("VIP", p.Rule));
    }

    [Fact]
    public void Targets_are_optional() => Assert.Empty(Check(Valid with { Targets = new() }));

    [Fact]
    public void A_target_field_that_does_not_exist_is_refused()
    {
        var problem = Assert.Single(Check(Valid with { Targets = Valid.Targets with { Since = "Sfc_Vip_Start__c" } }));

        Assert.Equal("targets.since", problem.Part);
        Assert.Contains("targets.since = 'Sfc_Vip_Start__c': no such field on Contact", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("flag", "Sfc_Score__c", "double", "boolean")]
    [InlineData("flag", "Email", "email", "boolean")]
    [InlineData("reasons", "Sfc_Vip__c", "boolean", "string or textarea")]
    [InlineData("since", "Sfc_Last_Click_Date__c", "datetime", "date")]
    [InlineData("until", "Title", "string", "date")]
    public void A_target_field_of_the_wrong_type_is_refused(string target, string field, string actual, string expected)
    {
        var targets = target switch
        {
            "flag" => new RuleTargets { Flag = field },
            "reasons" => new RuleTargets { Reasons = field },
            "since" => new RuleTargets { Since = field },
            _ => new RuleTargets { Until = field },
        };

        var problem = Assert.Single(Check(Valid with { Targets = targets }));

        Assert.Equal("targets." + target, problem.Part);
        Assert.Contains($"Contact.{field} is a {actual} field; expected {expected}.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_may_be_a_text_or_a_long_text_field()
    {
        Assert.Empty(Check(Valid with { Targets = new() { Reasons = "Title" } }));
        Assert.Empty(Check(Valid with { Targets = new() { Reasons = "sfc_vip_reasons__c" } }));
    }

    [Fact]
    public void Targets_are_not_checked_on_an_unknown_object() =>
        Assert.Equal("object", Assert.Single(Check(Valid with { Object = "Nope", Targets = new() { Flag = "Nope__c" } })).Part);

    [Fact]
    public void A_well_formed_roll_up_has_no_problems()
    {
        Assert.Empty(Check(Rollup));
        Assert.Empty(Check(Rollup with { Function = "count", Field = null, Filter = null }));
        // A polymorphic lookup works towards any of its targets.
        Assert.Empty(Check(new RollupDefinition { Name = "Touches", Object = "Contact", ChildObject = "Task", Relationship = "WhoId", Function = "MAX", Field = "ActivityDate" }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("won")]
    [InlineData("Won_24m_")]
    public void Roll_up_names_start_with_a_letter(string name)
    {
        var ok = name.Length > 0;
        var problems = Check(Rollup with { Name = name });

        Assert.Equal(ok, problems.Count == 0);
    }

    [Theory]
    [InlineData("1won")]
    [InlineData("_won")]
    [InlineData("won-24m")]
    [InlineData("won 24m")]
    public void Roll_up_names_are_letters_digits_and_underscores(string name)
    {
        var problem = Assert.Single(Check(Rollup with { Name = name }));

        Assert.Equal("roll-up " + name, problem.Part);
        Assert.Contains($"name = '{name}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_roll_up_may_not_hide_a_field_of_its_parent()
    {
        var problem = Assert.Single(Check(Rollup with { Name = "annualrevenue" }));

        Assert.Contains("Account already has a field of that name", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roll_up_objects_must_be_mirrored()
    {
        Assert.Contains("object = 'Lead'", Assert.Single(Check(Rollup with { Object = "Lead" })).Message, StringComparison.Ordinal);
        Assert.Contains("childObject = 'OpportunityLineItem'", Assert.Single(Check(Rollup with { ChildObject = "OpportunityLineItem" })).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Amount")]
    [InlineData("Account")]
    [InlineData("Nope")]
    public void The_relationship_must_be_a_lookup_field_of_the_child(string relationship) =>
        Assert.Contains($"relationship = '{relationship}': not a lookup field of Opportunity", Assert.Single(Check(Rollup with { Relationship = relationship })).Message, StringComparison.Ordinal);

    [Fact]
    public void The_relationship_must_lead_to_the_parent()
    {
        var problem = Assert.Single(Check(new RollupDefinition { Name = "Touches", Object = "Account", ChildObject = "Task", Relationship = "WhoId", Function = "COUNT" }));

        Assert.Contains("Task.WhoId refers to Contact or Lead, not Account.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_are_the_six_aggregates_and_all_but_COUNT_need_a_field()
    {
        Assert.Contains("function = 'MEDIAN'", Assert.Single(Check(Rollup with { Function = "MEDIAN" })).Message, StringComparison.Ordinal);
        foreach (var function in new[] { "SUM", "COUNT_DISTINCT", "MIN", "MAX", "AVG" })
        {
            Assert.Contains($"field: {function} needs the child field", Assert.Single(Check(Rollup with { Function = function, Field = " " })).Message, StringComparison.Ordinal);
        }
    }
}
