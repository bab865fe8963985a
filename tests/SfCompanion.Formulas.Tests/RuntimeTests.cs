using SfCompanion.Formulas;
using static SfCompanion.Formulas.Tests.Formulas;

namespace SfCompanion.Formulas.Tests;

public class DateTests
{
    [Theory]
    [InlineData("2024-01-31", 1, "2024-02-29")]
    [InlineData("2023-01-31", 1, "2023-02-28")]
    [InlineData("2024-02-29", 1, "2024-03-31")]
    [InlineData("2024-02-29", 12, "2025-02-28")]
    [InlineData("2017-09-20", 5, "2018-02-20")]
    [InlineData("2017-09-30", 5, "2018-02-28")]
    [InlineData("2024-03-15", -3, "2023-12-15")]
    [InlineData("2024-04-30", -1, "2024-03-31")]
    [InlineData("2024-01-30", 1, "2024-02-29")]
    public void Addmonths_keeps_the_end_of_month(string start, int months, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), Eval($"ADDMONTHS(LastActivityDate, {months})",
            new() { ["LastActivityDate"] = DateOnly.Parse(start) }));

    [Fact]
    public void Date_arithmetic()
    {
        var record = new Dictionary<string, object?>
        {
            ["LastActivityDate"] = new DateOnly(2024, 3, 1),
            ["Close_Date__c"] = new DateOnly(2024, 2, 1),
            ["CreatedDate"] = new DateTime(2024, 3, 14, 22, 30, 0, DateTimeKind.Utc),
        };
        Assert.Equal(29m, Eval("LastActivityDate - Close_Date__c", record));
        Assert.Equal(new DateOnly(2024, 3, 11), Eval("LastActivityDate + 10", record));
        Assert.Equal(new DateOnly(2024, 3, 11), Eval("10 + LastActivityDate", record));
        Assert.Equal(new DateOnly(2024, 2, 28), Eval("LastActivityDate - 2", record));
        Assert.Equal(new DateOnly(2024, 3, 2), Eval("LastActivityDate + 1.9", record));
        Assert.Equal(0.5m, Eval("NOW() - CreatedDate", record));
        Assert.Equal(new DateTime(2024, 3, 15, 10, 30, 0, DateTimeKind.Utc), Eval("CreatedDate + 0.5", record));
        Assert.Equal(true, Eval("Close_Date__c < LastActivityDate", record));
        Assert.Equal(true, Eval("CreatedDate < NOW()", record));
        Assert.Equal(new DateOnly(2024, 3, 14), Eval("DATEVALUE(CreatedDate)", record));
        Assert.Equal(new DateOnly(2024, 5, 6), Eval("DATEVALUE('2024-05-06')"));
        Assert.Equal(new DateOnly(2024, 2, 29), Eval("DATE(2024, 2, 29)"));
        Assert.Equal(new DateOnly(2024, 2, 29), Eval("DATE(2024, 3, 1) - 1"));
        Assert.Equal(new DateTime(2024, 4, 14, 22, 30, 0, DateTimeKind.Utc), Eval("ADDMONTHS(CreatedDate, 1)", record));
    }

    [Fact]
    public void Today_and_now_come_from_the_runtime()
    {
        var compiled = Compile("TODAY() - LastActivityDate <= 30", null, null, new Dictionary<string, object?> { ["LastActivityDate"] = new DateOnly(2024, 3, 1) });
        Assert.True(compiled.UsesToday);
        var recent = compiled.AsBoolean();
        Assert.True(recent(new FormulaRuntime(new DateTime(2024, 3, 31, 0, 0, 0, DateTimeKind.Utc)), 0));
        Assert.False(recent(new FormulaRuntime(new DateTime(2024, 4, 1, 0, 0, 0, DateTimeKind.Utc)), 0));
        Assert.False(recent(new FormulaRuntime { Today = new DateOnly(2024, 5, 1) }, 0));
        Assert.Equal(new DateTime(2024, 3, 15, 10, 30, 0, DateTimeKind.Utc), Eval("NOW()"));
        Assert.Equal(new DateOnly(2024, 3, 15), Eval("TODAY()"));
        Assert.False(Compile("1 + 1").UsesToday);
    }
}

public class RuntimeErrorTests
{
    [Fact]
    public void Division_by_zero_blanks_the_record_and_is_counted()
    {
        var rows = new[]
        {
            new Dictionary<string, object?> { ["AnnualRevenue"] = 100m, ["NumberOfEmployees"] = 4 },
            new Dictionary<string, object?> { ["AnnualRevenue"] = 100m, ["NumberOfEmployees"] = 0 },
            new Dictionary<string, object?> { ["AnnualRevenue"] = 100m, ["NumberOfEmployees"] = null },
        };
        var perHead = Compile("AnnualRevenue / NumberOfEmployees", null, null, rows).AsNumber();
        var big = Compile("AnnualRevenue / NumberOfEmployees > 10 || TRUE", FormulaType.Boolean, null, rows).AsBoolean();
        var rt = new FormulaRuntime();
        Assert.Equal(25m, perHead(rt, 0));
        Assert.Null(perHead(rt, 1));
        Assert.Null(perHead(rt, 2));
        Assert.Equal(1, rt.Errors);
        Assert.True(big(rt, 0));
        Assert.False(big(rt, 1));
        Assert.Equal(2, rt.Errors);
        Assert.True(big(rt, 2));
        Assert.Equal(2, rt.Errors);
    }

    [Theory]
    [InlineData("VALUE('abc')")]
    [InlineData("MOD(5, 0)")]
    [InlineData("YEAR(DATE(2023, 2, 29))")]
    [InlineData("YEAR(DATEVALUE('not a date'))")]
    [InlineData("1 / (2 - 2) + 5")]
    [InlineData("0 ^ -1")]
    [InlineData("10000000000000000 * 10000000000000000")]
    public void Failing_operations_are_counted(string formula)
    {
        var rt = new FormulaRuntime();
        Assert.Null(Compile(formula, null, null, new Dictionary<string, object?>()).Evaluate(rt, 0));
        Assert.Equal(1, rt.Errors);
    }

    [Fact]
    public void A_bad_dynamic_regex_is_a_record_error()
    {
        var rows = new[] { new Dictionary<string, object?> { ["Name"] = "abc", ["Title"] = "[a-" } };
        var rt = new FormulaRuntime();
        Assert.False(Compile("REGEX(Name, Title)", null, null, rows).AsBoolean()(rt, 0));
        Assert.Equal(1, rt.Errors);
    }

    [Fact]
    public void If_and_case_only_evaluate_the_branch_taken()
    {
        var rt = new FormulaRuntime();
        var compiled = Compile("IF(TRUE, 1, 1 / 0) + CASE(2, 1, 1 / 0, 2, 2, 1 / 0) + IF(OR(TRUE, 1 / 0 > 1), 0, 1)", null, null, new Dictionary<string, object?>());
        Assert.Equal(3m, compiled.Evaluate(rt, 0));
        Assert.Equal(0, rt.Errors);
    }
}

public class VariableAndBindingTests
{
    private static readonly FormulaOptions Criteria = new(Variables: new Dictionary<string, FormulaType>
    {
        ["big_client"] = FormulaType.Boolean,
        ["recent_win"] = FormulaType.Boolean,
        ["partner"] = FormulaType.Boolean,
        ["Name"] = FormulaType.Number,
    });

    [Theory]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, false, true)]
    [InlineData(false, false, false, false)]
    [InlineData(true, true, true, false)]
    public void Variables_combine_criteria(bool big, bool recent, bool partner, bool expected)
    {
        var record = new Dictionary<string, object?> { ["big_client"] = big, ["recent_win"] = recent, ["partner"] = partner };
        Assert.Equal(expected, Eval("(big_client || recent_win) && NOT(partner)", record, Criteria));
    }

    [Fact]
    public void Variables_are_resolved_before_fields_and_bound_through_the_binder()
    {
        var compiled = Compile("Big_Client && Name > 1 && Owner.IsActive", FormulaType.Boolean, Criteria,
            new Dictionary<string, object?> { ["big_client"] = true, ["Name"] = 2, ["Owner.IsActive"] = true });
        Assert.True(compiled.AsBoolean()(new FormulaRuntime(), 0));
        Assert.Equal(["big_client", "Name"], compiled.Variables.Select(v => v.Path));
        Assert.Equal(["var:big_client", "var:Name"], compiled.Variables.Select(v => v.BindingKey));
        Assert.Equal(["Owner.IsActive"], compiled.Fields.Select(f => f.Path));
    }

    [Fact]
    public void Fields_lists_each_referenced_field_once_with_its_canonical_path()
    {
        var compiled = Compile("IF(ISPICKVAL(account.industry, 'x'), score__c, Score__c + Account.AnnualRevenue)");
        Assert.Equal(["Account.Industry", "Score__c", "Account.AnnualRevenue"], compiled.Fields.Select(f => f.Path));
        Assert.Equal(FormulaType.Picklist, compiled.Fields[0].Type);
    }

    [Fact]
    public void Column_binder_reads_arrays()
    {
        var schema = new DictionarySchema { { "Amount", FormulaType.Number }, { "Won", FormulaType.Boolean }, { "Stage", FormulaType.Picklist } };
        var binder = new ColumnBinder()
            .Add("Amount", new decimal?[] { 10m, null, 500m })
            .Add("Won", new[] { true, true, false })
            .Add("Stage", new[] { "Closed", "Open", null });
        var formula = new FormulaCompiler(schema, binder).Compile("Opportunity", "Won && BLANKVALUE(Amount, 0) < 100 && NOT(ISPICKVAL(Stage, 'Lost'))", FormulaType.Boolean);
        var f = formula.AsBoolean();
        var rt = new FormulaRuntime();
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(i => f(rt, i)));
    }

    [Fact]
    public void Typed_accessors_check_the_result_type()
    {
        var compiled = Compile("1 + 1");
        Assert.Equal(FormulaType.Number, compiled.ResultType);
        Assert.Throws<InvalidOperationException>(() => compiled.AsBoolean());
        Assert.Equal(2m, compiled.AsNumber()(new FormulaRuntime(), 0));
        Assert.Equal("x", Compile("'x'").AsText()(new FormulaRuntime(), 0));
    }
}
