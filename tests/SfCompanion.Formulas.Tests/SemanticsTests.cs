using SfCompanion.Formulas;
using static SfCompanion.Formulas.Tests.Formulas;

namespace SfCompanion.Formulas.Tests;

public class BlankTests
{
    private static readonly FormulaOptions Zeroes = new(BlankAsZero: true);

    [Theory]
    [InlineData("Score__c + 1")]
    [InlineData("Score__c * 2")]
    [InlineData("Score__c / 2")]
    [InlineData("-Score__c")]
    [InlineData("ROUND(Score__c, 0)")]
    [InlineData("MAX(Score__c, 1)")]
    [InlineData("VALUE(Account.Name)")]
    public void Arithmetic_with_a_blank_is_blank(string formula) => Assert.Null(Eval(formula));

    [Theory]
    [InlineData("Score__c + 1", 1)]
    [InlineData("Score__c * 2", 0)]
    [InlineData("MAX(Score__c, -1)", 0)]
    public void Blank_as_zero_reads_blank_numbers_as_zero(string formula, double expected) =>
        Assert.Equal((decimal)expected, Eval(formula, options: Zeroes));

    [Theory]
    [InlineData("Score__c > 0", false)]
    [InlineData("Score__c < 0", false)]
    [InlineData("Score__c >= 0", false)]
    [InlineData("Score__c = 0", false)]
    [InlineData("Score__c <> 0", true)]
    [InlineData("Score__c = Account.AnnualRevenue", true)]
    [InlineData("Score__c = NULL", true)]
    [InlineData("NULL = Score__c", true)]
    [InlineData("Score__c <> NULL", false)]
    [InlineData("LastActivityDate < TODAY()", false)]
    [InlineData("Account.Name = ''", true)]
    [InlineData("Account.Name = NULL", true)]
    [InlineData("Account.Name <> 'x'", true)]
    [InlineData("Account.Name & 'x' = 'x'", true)]
    [InlineData("ISBLANK(Score__c)", true)]
    [InlineData("ISBLANK(Account.Name & '')", true)]
    [InlineData("ISBLANK(Score__c + 1)", true)]
    [InlineData("NOT(Score__c > 0)", true)]
    [InlineData("IF(Score__c > 10, TRUE, FALSE)", false)]
    public void Comparisons_with_blanks(string formula, bool expected) => Assert.Equal(expected, Eval(formula));

    [Theory]
    [InlineData("Score__c = 0", true)]
    [InlineData("Score__c > -1", true)]
    [InlineData("ISBLANK(Score__c)", false)]
    [InlineData("ISBLANK(LastActivityDate)", true)]
    [InlineData("ISBLANK(Account.Name)", true)]
    public void Comparisons_with_blank_as_zero(string formula, bool expected) => Assert.Equal(expected, Eval(formula, options: Zeroes));

    [Fact]
    public void Blankvalue_and_nullvalue_substitute()
    {
        Assert.Equal(5m, Eval("BLANKVALUE(Score__c, 5)"));
        Assert.Equal(5m, Eval("NULLVALUE(Score__c, 5)"));
        Assert.Equal(7m, Eval("NULLVALUE(Score__c, 5)", new() { ["Score__c"] = 7 }));
        Assert.Equal(new DateOnly(2024, 3, 15), Eval("BLANKVALUE(LastActivityDate, TODAY())"));
        Assert.Equal(0m, Eval("BLANKVALUE(Score__c, 5)", options: Zeroes));
    }

    [Fact]
    public void Null_takes_the_type_of_its_context()
    {
        Assert.Null(Eval("IF(TRUE, NULL, 1)"));
        Assert.Equal(FormulaType.Number, Compile("IF(TRUE, NULL, 1)").ResultType);
        Assert.Equal(FormulaType.Date, Compile("NULL", FormulaType.Date).ResultType);
        Assert.Equal(FormulaType.Text, Compile("NULL").ResultType);
        Assert.False((bool)Eval("NULL > 1")!);
    }
}

public class TypeErrorTests
{
    [Theory]
    [InlineData("IF(Name, 1, 2)", "Error: Incorrect parameter type for function 'IF()'. Expected Boolean, received Text", 1, 4)]
    [InlineData("IF(TRUE, 1, 'x')", "Error: Incorrect parameter type for function 'IF()'. Expected Number, received Text", 1, 13)]
    [InlineData("AND(IsConverted, Score__c)", "Error: Incorrect parameter type for function 'AND()'. Expected Boolean, received Number", 1, 18)]
    [InlineData("LEFT(Name)", "Error: Incorrect number of parameters for function 'LEFT()'. Expected 2, received 1", 1, 1)]
    [InlineData("FIND('a')", "Error: Incorrect number of parameters for function 'FIND()'. Expected 2 or 3, received 1", 1, 1)]
    [InlineData("CASE(Score__c, 1, 'a')", "Error: Incorrect number of parameters for function 'CASE()'. Expected 4 or more, received 3", 1, 1)]
    [InlineData("CASE(Score__c, 1, 'a', 2, 'b')", "Error: Incorrect number of parameters for function 'CASE()'. Expected 6, received 5", 1, 1)]
    [InlineData("CASE(Score__c, 1, 'a', 'b', 'c', 'd')", "Error: Incorrect parameter type for function 'CASE()'. Expected Number, received Text", 1, 24)]
    [InlineData("TODAY(1)", "Error: Incorrect number of parameters for function 'TODAY()'. Expected 0, received 1", 1, 1)]
    [InlineData("1 + FOO(2)", "Error: Unknown function FOO. Check spelling.", 1, 5)]
    [InlineData("IF(Foo__c > 1, 1, 2)", "Error: Field Foo__c does not exist. Check spelling.", 1, 4)]
    [InlineData("Account.Foo__c", "Error: Field Account.Foo__c does not exist. Check spelling.", 1, 1)]
    [InlineData("Name + 1", "Error: Incorrect parameter type for operator '+'. Expected Text, received Number", 1, 8)]
    [InlineData("Name & Score__c", "Error: Incorrect parameter type for operator '&'. Expected Text, received Number", 1, 8)]
    [InlineData("Score__c = 'x'", "Error: Incorrect parameter type for operator '='. Expected Number, received Text", 1, 12)]
    [InlineData("Name < 'x'", "Error: Incorrect parameter type for operator '<'. Expected Number, Date, DateTime, received Text", 1, 1)]
    [InlineData("IsConverted && 1", "Error: Incorrect parameter type for operator '&&'. Expected Boolean, received Number", 1, 16)]
    [InlineData("!Name", "Error: Incorrect parameter type for operator '!'. Expected Boolean, received Text", 1, 2)]
    [InlineData("LastActivityDate - CreatedDate", "Error: Incorrect parameter type for operator '-'. Expected Number, Date, received DateTime", 1, 20)]
    [InlineData("TEXT(IsConverted)", "Error: Incorrect parameter type for function 'TEXT()'. Expected Number, Date, DateTime, Picklist, received Boolean", 1, 6)]
    [InlineData("ISPICKVAL(Name, 'x')", "Error: Incorrect parameter type for function 'ISPICKVAL()'. Expected Picklist, received Text", 1, 11)]
    [InlineData("YEAR(CreatedDate)", "Error: Incorrect parameter type for function 'YEAR()'. Expected Date, received DateTime", 1, 6)]
    public void Type_errors_are_located(string formula, string text, int line, int column)
    {
        var error = Error(formula);
        Assert.Equal(text, error.Text);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Error_message_includes_the_position()
    {
        var error = Error("IF(TRUE,\n   Foo__c, 2)");
        Assert.Equal("Error: Field Foo__c does not exist. Check spelling. (line 2, column 4)", error.Message);
        Assert.Equal(6, error.Length);
    }

    [Theory]
    [InlineData("Name", FormulaType.Boolean, "Error: Formula result is data type (Text), incompatible with expected data type (Boolean).")]
    [InlineData("1 + 1", FormulaType.Text, "Error: Formula result is data type (Number), incompatible with expected data type (Text).")]
    [InlineData("CreatedDate", FormulaType.Date, "Error: Formula result is data type (DateTime), incompatible with expected data type (Date).")]
    public void Result_type_must_match_the_expected_type(string formula, FormulaType expected, string text) =>
        Assert.Equal(text, Error(formula, expected).Text);

    [Theory]
    [InlineData("Industry = 'Retail'", "Industry", 1)]
    [InlineData("IF(LEN(Industry) > 0, 1, 0)", "Industry", 8)]
    [InlineData("Account.Industry & 'x'", "Account.Industry", 1)]
    [InlineData("BLANKVALUE(Status, 'x')", "Status", 12)]
    [InlineData("CONTAINS(Interests__c, 'Email')", "Interests__c", 10)]
    [InlineData("ISPICKVAL(Interests__c, 'Email')", "Interests__c", 11)]
    [InlineData("TEXT(Interests__c)", "Interests__c", 6)]
    [InlineData("Status", "Status", 1)]
    public void Picklists_are_only_supported_in_certain_functions(string formula, string field, int column)
    {
        var error = Error(formula);
        Assert.Equal($"Error: Field {field} is a picklist field. Picklist fields are only supported in certain functions.", error.Text);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Includes_requires_a_multi_select_picklist() =>
        Assert.Equal("Error: Incorrect parameter type for function 'INCLUDES()'. Expected MultiPicklist, received Text", Error("INCLUDES(Name, 'x')").Text);

    [Fact]
    public void Constant_regular_expressions_are_checked_when_compiling() =>
        Assert.StartsWith("Error: Invalid regular expression in function 'REGEX()'", Error("REGEX(Name, '[a-')").Text);
}
