using SfCompanion.Formulas;
using static SfCompanion.Formulas.Tests.Formulas;

namespace SfCompanion.Formulas.Tests;

public class FunctionTests
{
    private static readonly Dictionary<string, object?> Lead = new()
    {
        ["Name"] = "Jeanne Martin",
        ["Company"] = "Acme SA",
        ["Title"] = "  Chief Executive Officer\t",
        ["AnnualRevenue"] = 1_500_000m,
        ["NumberOfEmployees"] = 42,
        ["IsConverted"] = false,
        ["Status"] = "Working - Contacted",
        ["Industry"] = "Banking",
        ["Interests__c"] = "Email;Events;Webinars",
        ["LastActivityDate"] = new DateOnly(2024, 1, 31),
        ["CreatedDate"] = new DateTime(2023, 12, 31, 22, 0, 0, DateTimeKind.Utc),
        ["Account.Industry"] = "Retail",
        ["Account.Owner.Name"] = "Paul",
        ["Owner.IsActive"] = true,
        ["Partner__r.Tier__c"] = "Gold",
    };

    private static object? E(string formula) => Eval(formula, Lead);

    [Theory]
    [InlineData("IF(AnnualRevenue > 1000000, 'Big', 'Small')", "Big")]
    [InlineData("IF(IsConverted, 'Yes', 'No')", "No")]
    [InlineData("CASE(Industry, 'Retail', 'R', 'Banking', 'B', 'Other')", "B")]
    [InlineData("CASE(Account.Industry, 'Retail', 'R', 'Banking', 'B', 'Other')", "R")]
    [InlineData("CASE(MONTH(LastActivityDate), 1, 'January', 2, 'February', 'Later')", "January")]
    [InlineData("CASE(Company, 'Nope', 'x', 'none')", "none")]
    [InlineData("TEXT(Status)", "Working - Contacted")]
    [InlineData("LOWER('MyCompany.com')", "mycompany.com")]
    [InlineData("UPPER('mycompany.com')", "MYCOMPANY.COM")]
    [InlineData("TRIM(Title)", "Chief Executive Officer")]
    [InlineData("LEFT(Name, 6)", "Jeanne")]
    [InlineData("LEFT(Name, 100)", "Jeanne Martin")]
    [InlineData("LEFT(Name, -1)", null)]
    [InlineData("RIGHT(Name, 6)", "Martin")]
    [InlineData("MID(Name, 8, 3)", "Mar")]
    [InlineData("MID(Name, 8, 100)", "Martin")]
    [InlineData("SUBSTITUTE(Company, 'SA', 'Inc.')", "Acme Inc.")]
    [InlineData("SUBSTITUTE('a-b-c', '-', '')", "abc")]
    [InlineData("Account.Owner.Name & ' / ' & Partner__r.Tier__c", "Paul / Gold")]
    [InlineData("BLANKVALUE(Company, 'none')", "Acme SA")]
    [InlineData("BLANKVALUE(Account.Name, 'none')", "none")]
    [InlineData("NULLVALUE(Account.Name, 'none')", null)]
    [InlineData("TEXT(AnnualRevenue)", "1500000")]
    [InlineData("TEXT(3.50)", "3.5")]
    [InlineData("TEXT(LastActivityDate)", "2024-01-31")]
    [InlineData("TEXT(CreatedDate)", "2023-12-31 22:00:00Z")]
    [InlineData("TEXT(Account.AnnualRevenue)", null)]
    public void Text_and_logical_functions(string formula, string? expected) => Assert.Equal(expected, E(formula));

    [Theory]
    [InlineData("AND(IsConverted, Owner.IsActive)", false)]
    [InlineData("OR(IsConverted, Owner.IsActive)", true)]
    [InlineData("NOT(IsConverted)", true)]
    [InlineData("ISBLANK(Account.Name)", true)]
    [InlineData("ISBLANK(Company)", false)]
    [InlineData("ISBLANK(Score__c)", true)]
    [InlineData("ISBLANK(Industry)", false)]
    [InlineData("ISBLANK(Interests__c)", false)]
    [InlineData("ISNULL(Score__c)", true)]
    [InlineData("ISNULL(Account.Name)", false)]
    [InlineData("ISPICKVAL(Industry, 'Banking')", true)]
    [InlineData("ISPICKVAL(Industry, 'banking')", false)]
    [InlineData("ISPICKVAL(Account.Industry, 'Retail')", true)]
    [InlineData("INCLUDES(Interests__c, 'Events')", true)]
    [InlineData("INCLUDES(Interests__c, 'Event')", false)]
    [InlineData("CONTAINS(Company, 'Acme')", true)]
    [InlineData("CONTAINS(Company, 'acme')", false)]
    [InlineData("CONTAINS(TEXT(Status), 'Contacted')", true)]
    [InlineData("BEGINS(Name, 'Jea')", true)]
    [InlineData("BEGINS(Name, 'jea')", false)]
    [InlineData("REGEX('999-99-9999', '[0-9]{3}-[0-9]{2}-[0-9]{4}')", true)]
    [InlineData("REGEX('x999-99-9999', '[0-9]{3}-[0-9]{2}-[0-9]{4}')", false)]
    [InlineData("REGEX(Name, 'Jeanne')", false)]
    [InlineData("REGEX(Name, 'Jeanne.*')", true)]
    [InlineData("REGEX(Company, Account.Owner.Name & '.*')", false)]
    [InlineData("REGEX(Name, LEFT(Name, 3) & '.*')", true)]
    public void Boolean_functions(string formula, bool expected) => Assert.Equal(expected, E(formula));

    [Theory]
    [InlineData("LEN(Name)", 13)]
    [InlineData("LEN(Account.Name)", 0)]
    [InlineData("FIND('Martin', Name)", 8)]
    [InlineData("FIND('n', Name, 6)", 13)]
    [InlineData("FIND('zzz', Name)", 0)]
    [InlineData("FIND('', Name)", 0)]
    [InlineData("VALUE('3.25') * 2", 6.5)]
    [InlineData("VALUE(' -12 ')", -12)]
    [InlineData("ROUND(1.5, 0)", 2)]
    [InlineData("ROUND(-1.5, 0)", -2)]
    [InlineData("ROUND(2.5, 0)", 3)]
    [InlineData("ROUND(1.234567, 2)", 1.23)]
    [InlineData("ROUND(1.235, 2)", 1.24)]
    [InlineData("ROUND(1250, -2)", 1300)]
    [InlineData("FLOOR(2.5)", 2)]
    [InlineData("FLOOR(-2.5)", -2)]
    [InlineData("CEILING(2.1)", 3)]
    [InlineData("CEILING(-2.5)", -3)]
    [InlineData("ABS(-3.5)", 3.5)]
    [InlineData("MIN(3, 1, 2)", 1)]
    [InlineData("MAX(3, 1, 2)", 3)]
    [InlineData("MOD(3, 3)", 0)]
    [InlineData("MOD(4, 3)", 1)]
    [InlineData("MOD(123, 100)", 23)]
    [InlineData("NumberOfEmployees * 2", 84)]
    [InlineData("YEAR(LastActivityDate) * 100 + MONTH(LastActivityDate)", 202401)]
    [InlineData("DAY(LastActivityDate)", 31)]
    [InlineData("YEAR(DATEVALUE(CreatedDate))", 2023)]
    public void Number_functions(string formula, double expected) => Assert.Equal((decimal)expected, E(formula));

    [Fact]
    public void Function_names_are_case_insensitive() => Assert.Equal("Jeanne", E("left(name, 6)"));

    [Fact]
    public void Case_on_a_number_uses_number_values() => Assert.Equal(2m, E("CASE(NumberOfEmployees, 41, 1, 42, 2, 0)"));
}
