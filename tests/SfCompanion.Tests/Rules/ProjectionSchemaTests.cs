using SfCompanion.Formulas;
using SfCompanion.Rules;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;
using static SfCompanion.Tests.Rules.TestSchema;

namespace SfCompanion.Tests.Rules;

/// <summary>What formulas may reference: fields, parent paths through lookups (standard, custom, polymorphic) and roll-ups.</summary>
public sealed class ProjectionSchemaTests
{
    private static readonly RollupDefinition Won = new() { Name = "Won", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "IsWon" };

    private static readonly RollupDefinition FirstWin = new() { Name = "First_Win", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "MIN", Field = "CloseDate", Filter = "IsWon" };

    private static ProjectionSchema Schema(IReadOnlyDictionary<string, SObjectDescribe>? describes = null, params RollupDefinition[] rollups) =>
        new(describes ?? All(), rollups.ToDictionary(r => r.Object + "." + r.Name, StringComparer.OrdinalIgnoreCase));

    private static FieldKey Key(FormulaField field) => Assert.IsType<FieldKey>(field.BindingKey);

    [Fact]
    public void A_field_of_the_object_itself_has_no_hops_and_its_describe_type()
    {
        var field = Schema().Resolve("Contact", ["Email"]);

        Assert.NotNull(field);
        Assert.Equal("Email", field.Path);
        Assert.Equal(FormulaType.Text, field.Type);
        Assert.Equal("Contact", Key(field).Object);
        Assert.Equal("Email", Key(field).Field);
        Assert.Empty(Key(field).Hops);
    }

    [Fact]
    public void A_two_hop_path_follows_each_lookup_and_is_named_as_Salesforce_spells_it()
    {
        var field = Schema().Resolve("Contact", ["account", "OWNER", "isactive"]);

        Assert.NotNull(field);
        Assert.Equal("Account.Owner.IsActive", field.Path);
        Assert.Equal(FormulaType.Boolean, field.Type);
        var key = Key(field);
        Assert.Equal([new Hop("Contact", "AccountId", "Account"), new Hop("Account", "OwnerId", "User")], key.Hops);
        Assert.Equal("User", key.Object);
        Assert.Equal("IsActive", key.Field);
        Assert.Null(key.Rollup);
        Assert.Equal("IsActive", key.Column);
    }

    [Fact]
    public void A_polymorphic_owner_prefers_User_even_when_Group_is_listed_first_and_mirrored()
    {
        var key = Key(Schema().Resolve("Account", ["Owner", "Name"])!);

        Assert.Equal([new Hop("Account", "OwnerId", "User")], key.Hops);
        Assert.Equal("User", key.Object);
    }

    [Fact]
    public void A_polymorphic_lookup_follows_the_first_mirrored_target_when_User_is_not_mirrored()
    {
        var schema = Schema(Describes(Group, Account));

        var key = Key(schema.Resolve("Account", ["Owner", "Name"])!);

        Assert.Equal([new Hop("Account", "OwnerId", "Group")], key.Hops);
        // IsActive exists on User only: through Owner it is unknown when Owner leads to Group.
        Assert.Null(schema.Resolve("Account", ["Owner", "IsActive"]));
    }

    [Fact]
    public void A_lookup_to_an_object_that_is_not_mirrored_cannot_be_followed()
    {
        var schema = Schema(Describes(Account, Contact));

        Assert.Null(schema.Resolve("Account", ["Owner", "Name"]));
        Assert.NotNull(schema.Resolve("Contact", ["Account", "Name"]));
    }

    [Fact]
    public void A_custom_relationship_is_followed_by_its_relationship_name()
    {
        var field = Schema().Resolve("Contact", ["Account", "parent_account__r", "AnnualRevenue"]);

        Assert.NotNull(field);
        Assert.Equal("Account.Parent_Account__r.AnnualRevenue", field.Path);
        Assert.Equal(FormulaType.Number, field.Type);
        Assert.Equal([new Hop("Contact", "AccountId", "Account"), new Hop("Account", "Parent_Account__c", "Account")], Key(field).Hops);
    }

    [Fact]
    public void A_custom_lookup_without_a_relationship_name_is_reached_through_its_r_name()
    {
        var field = Schema().Resolve("Account", ["Holding__r", "Name"]);

        Assert.NotNull(field);
        Assert.Equal([new Hop("Account", "Holding__c", "Account")], Key(field).Hops);
        Assert.Equal("Account", Key(field).Object);
    }

    [Fact]
    public void The_field_name_of_a_lookup_is_not_a_relationship()
    {
        var schema = Schema();

        Assert.Null(schema.Resolve("Contact", ["AccountId", "Name"]));
        Assert.Null(schema.Resolve("Account", ["Parent_Account__c", "Name"]));
        // The lookup field itself is a text id.
        Assert.Equal(FormulaType.Text, schema.Resolve("Contact", ["AccountId"])!.Type);
    }

    [Fact]
    public void Unknown_fields_objects_and_relationships_resolve_to_nothing()
    {
        var schema = Schema();

        Assert.Null(schema.Resolve("Contact", ["Foo__c"]));
        Assert.Null(schema.Resolve("Contact", ["Account", "Foo__c"]));
        Assert.Null(schema.Resolve("Contact", ["Nothing", "Name"]));
        Assert.Null(schema.Resolve("Nothing", ["Name"]));
        Assert.Null(schema.Resolve("Contact", ["Email", "Name"]));
    }

    [Theory]
    [InlineData("boolean", FormulaType.Boolean)]
    [InlineData("int", FormulaType.Number)]
    [InlineData("double", FormulaType.Number)]
    [InlineData("currency", FormulaType.Number)]
    [InlineData("percent", FormulaType.Number)]
    [InlineData("long", FormulaType.Number)]
    [InlineData("date", FormulaType.Date)]
    [InlineData("datetime", FormulaType.DateTime)]
    [InlineData("DateTime", FormulaType.DateTime)]
    [InlineData("picklist", FormulaType.Picklist)]
    [InlineData("multipicklist", FormulaType.MultiPicklist)]
    [InlineData("string", FormulaType.Text)]
    [InlineData("email", FormulaType.Text)]
    [InlineData("textarea", FormulaType.Text)]
    [InlineData("reference", FormulaType.Text)]
    [InlineData("id", FormulaType.Text)]
    public void Describe_types_map_to_formula_types(string type, FormulaType expected) =>
        Assert.Equal(expected, ProjectionSchema.TypeOf(Field("X", type)));

    [Fact]
    public void A_roll_up_is_a_number_field_of_its_parent_reachable_through_a_lookup()
    {
        var schema = Schema(null, Won);

        var own = schema.Resolve("Account", ["won"]);
        var fromContact = schema.Resolve("Contact", ["Account", "Won"]);

        Assert.NotNull(own);
        Assert.Equal("Won", own.Path);
        Assert.Equal(FormulaType.Number, own.Type);
        Assert.Equal("@Won", Key(own).Column);
        Assert.Equal("Won", Key(own).Rollup);
        Assert.NotNull(fromContact);
        Assert.Equal("Account.Won", fromContact.Path);
        Assert.Equal([new Hop("Contact", "AccountId", "Account")], Key(fromContact).Hops);
        // Only on the object it is computed onto.
        Assert.Null(schema.Resolve("Contact", ["Won"]));
        Assert.Equal(Won, schema.Rollup("ACCOUNT", "WON"));
    }

    [Fact]
    public void Object_names_are_spelled_as_Salesforce_does_including_those_of_roll_ups()
    {
        var schema = Schema(null, Won with { Object = "account", ChildObject = "OPPORTUNITY" });

        Assert.Equal("Contact", schema.ObjectName("contact"));
        Assert.Equal("Nothing", schema.ObjectName("Nothing"));
        var rollup = schema.Rollup("Account", "Won");
        Assert.NotNull(rollup);
        Assert.Equal(("Account", "Opportunity"), (rollup.Object, rollup.ChildObject));
        Assert.Equal("Account", Key(schema.Resolve("Contact", ["Account", "Won"])!).Object);
    }

    [Fact]
    public void A_MIN_or_MAX_roll_up_of_a_date_is_a_date_once_its_type_is_set()
    {
        var schema = Schema(null, FirstWin);
        Assert.Equal(FormulaType.Number, schema.Resolve("Account", ["First_Win"])!.Type);

        schema.SetRollupType(FirstWin, RollupEngine.ResultType(FirstWin, FormulaType.Date));

        Assert.Equal(FormulaType.Date, schema.Resolve("Account", ["First_Win"])!.Type);
        Assert.Equal(FormulaType.Date, schema.Resolve("Contact", ["Account", "First_Win"])!.Type);
        // …so a formula compares it with dates and not with numbers.
        var compiler = new FormulaCompiler(schema, CollectingBinder.Instance);
        Assert.Equal(FormulaType.Boolean, compiler.Compile("Contact", "Account.First_Win <= ADDMONTHS(TODAY(), -36)").ResultType);
        Assert.Throws<FormulaException>(() => compiler.Compile("Contact", "Account.First_Win > 5"));
    }

    [Theory]
    [InlineData("MIN", FormulaType.Date, FormulaType.Date)]
    [InlineData("max", FormulaType.DateTime, FormulaType.DateTime)]
    [InlineData("MAX", FormulaType.Number, FormulaType.Number)]
    [InlineData("SUM", FormulaType.Number, FormulaType.Number)]
    [InlineData("COUNT", FormulaType.Date, FormulaType.Number)]
    [InlineData("COUNT_DISTINCT", FormulaType.Text, FormulaType.Number)]
    [InlineData("AVG", FormulaType.Number, FormulaType.Number)]
    public void Roll_up_result_types(string function, FormulaType value, FormulaType expected) =>
        Assert.Equal(expected, RollupEngine.ResultType(Won with { Function = function }, value));

    [Fact]
    public void Paths_compile_into_formulas_with_their_types()
    {
        var compiler = new FormulaCompiler(Schema(null, Won), CollectingBinder.Instance);

        var formula = compiler.Compile("Contact", "Account.Owner.IsActive && Account.Parent_Account__r.Won > 1000 && ISPICKVAL(Account.Type, 'Customer')", FormulaType.Boolean);

        Assert.Equal(
            ["Account.Owner.IsActive", "Account.Parent_Account__r.Won", "Account.Type"],
            formula.Fields.Select(f => f.Path).Order(StringComparer.Ordinal));
        var won = Key(formula.Fields.Single(f => f.Path.EndsWith("Won", StringComparison.Ordinal)));
        Assert.Equal([new Hop("Contact", "AccountId", "Account"), new Hop("Account", "Parent_Account__c", "Account")], won.Hops);
        Assert.Equal("Won", won.Rollup);
    }

    [Fact]
    public void Roll_ups_used_by_a_rule_are_found_through_other_roll_ups()
    {
        var bigWins = new RollupDefinition { Name = "Big_Wins", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "Amount > Account.Won / 10" };
        var unused = new RollupDefinition { Name = "Opportunities", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT" };
        var schema = Schema(null, Won, bigWins, unused);
        var rule = new RuleDefinition { Name = "vip", Object = "Contact", Criteria = [new() { Name = "big", Formula = "Account.Big_Wins >= 2" }] };

        Assert.Equal(["Big_Wins", "Won"], schema.RollupsUsedBy(rule).Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Won"], schema.RollupsUsedBy(bigWins).Select(r => r.Name));
        Assert.Empty(schema.RollupsUsedBy(Won));
    }
}
