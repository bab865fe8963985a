using SfCompanion.Formulas;

namespace SfCompanion.Formulas.Tests;

/// <summary>A small Lead schema and helpers to evaluate a formula against one or more in-memory records.</summary>
internal static class Formulas
{
    public static readonly DictionarySchema Schema = new()
    {
        { "Name", FormulaType.Text },
        { "Company", FormulaType.Text },
        { "Title", FormulaType.Text },
        { "AnnualRevenue", FormulaType.Number },
        { "NumberOfEmployees", FormulaType.Number },
        { "Score__c", FormulaType.Number },
        { "IsConverted", FormulaType.Boolean },
        { "HasOptedOutOfEmail", FormulaType.Boolean },
        { "Status", FormulaType.Picklist },
        { "Industry", FormulaType.Picklist },
        { "Interests__c", FormulaType.MultiPicklist },
        { "CreatedDate", FormulaType.DateTime },
        { "LastActivityDate", FormulaType.Date },
        { "Close_Date__c", FormulaType.Date },
        { "Account.Industry", FormulaType.Picklist },
        { "Account.Name", FormulaType.Text },
        { "Account.AnnualRevenue", FormulaType.Number },
        { "Account.Owner.Name", FormulaType.Text },
        { "Owner.IsActive", FormulaType.Boolean },
        { "Partner__r.Tier__c", FormulaType.Text },
    };

    public static readonly DateTime Now = new(2024, 3, 15, 10, 30, 0, DateTimeKind.Utc);

    public static CompiledFormula Compile(string formula, FormulaType? expected = null, FormulaOptions? options = null,
        params Dictionary<string, object?>[] rows) =>
        new FormulaCompiler(Schema, new DictionaryRowBinder(rows)).Compile("Lead", formula, expected, options);

    public static object? Eval(string formula, Dictionary<string, object?>? record = null, FormulaOptions? options = null, FormulaRuntime? runtime = null)
    {
        var compiled = Compile(formula, null, options, record ?? []);
        return compiled.Evaluate(runtime ?? new FormulaRuntime(Now), 0);
    }

    public static FormulaError Error(string formula, FormulaType? expected = null, FormulaOptions? options = null)
    {
        var exception = Assert.Throws<FormulaException>(() => Compile(formula, expected, options, []));
        return Assert.Single(exception.Errors);
    }
}
