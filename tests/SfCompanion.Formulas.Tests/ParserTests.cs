using SfCompanion.Formulas;
using static SfCompanion.Formulas.Tests.Formulas;

namespace SfCompanion.Formulas.Tests;

public class ParserTests
{
    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("2 ^ 3 ^ 2", 64)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("12 / 4 / 3", 1)]
    [InlineData("2 * 3 ^ 2", 18)]
    [InlineData("- - 3", 3)]
    [InlineData("3.5 + 0.5", 4)]
    [InlineData("1 /* one */ + /* two */ 2", 3)]
    public void Arithmetic_follows_salesforce_precedence(string formula, double expected) =>
        Assert.Equal((decimal)expected, Eval(formula));

    [Theory]
    [InlineData("TRUE || FALSE && FALSE", true)]
    [InlineData("(TRUE || FALSE) && FALSE", false)]
    [InlineData("!FALSE && TRUE", true)]
    [InlineData("!(1 < 2)", false)]
    [InlineData("1 + 1 = 2 && 2 * 2 == 4", true)]
    [InlineData("1 < 2 || 1 > 2", true)]
    [InlineData("3 <> 3 || 3 != 3", false)]
    [InlineData("2 >= 2 && 2 <= 2", true)]
    [InlineData("true && True && TRUE", true)]
    public void Logic_and_comparisons(string formula, bool expected) => Assert.Equal(expected, Eval(formula));

    [Fact]
    public void Concatenation_binds_like_addition()
    {
        Assert.Equal("ab", Eval("'a' & \"b\""));
        Assert.Equal("x1", Eval("'x' & TEXT(3 - 2)"));
        Assert.Equal("ab", Eval("'a' + 'b'"));
    }

    [Fact]
    public void Text_literals_accept_backslash_escapes()
    {
        Assert.Equal("it's \"quoted\"\n\\", Eval(@"'it\'s \""quoted\""\n\\'"));
        Assert.Equal("O'Brien", Eval("\"O'Brien\""));
    }

    [Fact]
    public void Syntax_tree_keeps_paths_calls_and_positions()
    {
        var tree = FormulaCompiler.Parse("IF(Account.Owner.Name = 'x',\n  1, 2)");
        var call = Assert.IsType<CallSyntax>(tree);
        Assert.Equal("IF", call.Name);
        Assert.Equal(3, call.Arguments.Count);
        var comparison = Assert.IsType<BinarySyntax>(call.Arguments[0]);
        Assert.Equal("=", comparison.Operator);
        var field = Assert.IsType<FieldSyntax>(comparison.Left);
        Assert.Equal(["Account", "Owner", "Name"], field.Path);
        Assert.Equal(new FormulaSpan(3, 18, 1, 4), field.Span);
        Assert.Equal(2, call.Arguments[1].Span.Line);
        Assert.Equal(3, call.Arguments[1].Span.Column);
    }

    [Fact]
    public void Operators_are_normalised_in_the_tree()
    {
        Assert.Equal("=", Assert.IsType<BinarySyntax>(FormulaCompiler.Parse("1 == 1")).Operator);
        Assert.Equal("<>", Assert.IsType<BinarySyntax>(FormulaCompiler.Parse("1 != 1")).Operator);
        var literal = Assert.IsType<LiteralSyntax>(FormulaCompiler.Parse("null"));
        Assert.Equal(FormulaType.Null, literal.Type);
    }

    [Theory]
    [InlineData("IF(TRUE, 1, 2", "Error: Syntax error. Missing ')'", 1, 14)]
    [InlineData("LEFT(Name, 2))", "Error: Syntax error. Extra ')'", 1, 14)]
    [InlineData("1 +", "Error: Syntax error. Unexpected end of formula", 1, 4)]
    [InlineData("1 2", "Error: Syntax error. Found '2'", 1, 3)]
    [InlineData("IF(TRUE 1, 2)", "Error: Syntax error. Missing ')'", 1, 9)]
    [InlineData("'abc", "Error: Syntax error. Missing '", 1, 1)]
    [InlineData("1 +\n  # 2", "Error: Syntax error. Found '#'", 2, 3)]
    public void Syntax_errors_have_salesforce_wording_and_position(string formula, string text, int line, int column)
    {
        var error = Assert.Single(Assert.Throws<FormulaException>(() => FormulaCompiler.Parse(formula)).Errors);
        Assert.Equal(text, error.Text);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.EndsWith($"(line {line}, column {column})", error.Message);
    }
}
