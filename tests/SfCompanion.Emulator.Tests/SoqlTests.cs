using Microsoft.Extensions.Time.Testing;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Tests;

public class SoqlTests : OrgTestBase
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero));

    protected override EmulatorOptions CreateOptions() => new() { TimeProvider = _time };

    private List<string?> Names(string soql) => [.. Org.Data.Query(soql).Select(r => r["LastName"] as string)];

    private void Seed()
    {
        var owner = Org.Data.Insert("User", new Dictionary<string, object?> { ["Username"] = "old@x.fr", ["LastName"] = "Ancien", ["Email"] = "old@x.fr", ["IsActive"] = false });
        var account = Org.Data.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Acme France", ["Industry"] = "Technology" });
        Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Bernard", ["AccountId"] = account, ["OwnerId"] = owner });
        InsertLead("Alpha", "Acme", new() { ["City"] = "Lyon", ["NumberOfEmployees"] = 10, ["CreatedDate"] = _time.GetUtcNow().AddDays(-2) });
        InsertLead("beta", "Acme", new() { ["City"] = "Paris", ["NumberOfEmployees"] = 500, ["CreatedDate"] = _time.GetUtcNow().AddDays(-40) });
        InsertLead("Gamma", "Globex", new() { ["City"] = null, ["NumberOfEmployees"] = 50, ["CreatedDate"] = _time.GetUtcNow().AddDays(-400), ["OwnerId"] = owner });
    }

    [Fact]
    public void Where_ComparisonsAndLogic()
    {
        Seed();
        Assert.Equal(["Alpha", "beta"], Names("SELECT LastName FROM Lead WHERE Company = 'ACME'"));
        Assert.Equal(["beta", "Gamma"], Names("SELECT LastName FROM Lead WHERE NumberOfEmployees >= 50"));
        Assert.Equal(["Alpha", "Gamma"], Names("SELECT LastName FROM Lead WHERE City != 'Paris'"));
        Assert.Equal(["Gamma"], Names("SELECT LastName FROM Lead WHERE City = null"));
        Assert.Equal(["Alpha", "Gamma"], Names("SELECT LastName FROM Lead WHERE (City = 'Lyon' OR City = null) AND NOT Company = 'x'"));
        Assert.Equal(["Alpha", "beta"], Names("SELECT LastName FROM Lead WHERE City IN ('lyon', 'Paris')"));
        Assert.Equal(["Gamma"], Names("SELECT LastName FROM Lead WHERE City NOT IN ('Lyon', 'Paris')"));
        Assert.Equal(["Gamma"], Names("SELECT LastName FROM Lead WHERE Company LIKE 'glo%'"));
        Assert.Equal(["Alpha", "beta"], Names("SELECT LastName FROM Lead WHERE LastName LIKE '_e%' OR LastName LIKE 'Al_ha'"));
    }

    [Fact]
    public void Where_DateLiterals()
    {
        Seed();
        Assert.Equal(["Alpha"], Names("SELECT LastName FROM Lead WHERE CreatedDate = LAST_N_DAYS:7"));
        Assert.Equal(["Alpha", "beta"], Names("SELECT LastName FROM Lead WHERE CreatedDate > 2026-01-01T00:00:00Z"));
        Assert.Equal(["Alpha", "beta"], Names("SELECT LastName FROM Lead WHERE CreatedDate = THIS_YEAR"));
        Assert.Equal(["Gamma"], Names("SELECT LastName FROM Lead WHERE CreatedDate < LAST_N_DAYS:365"));
        Assert.Equal(["beta"], Names("SELECT LastName FROM Lead WHERE CreatedDate = LAST_MONTH OR CreatedDate = N_DAYS_AGO:40"));
    }

    [Fact]
    public void ParentRelationships_ReadThroughReferences()
    {
        Seed();
        var rows = Org.Data.Query("SELECT LastName, Account.Name, Owner.IsActive FROM Contact WHERE Account.Industry = 'Technology'");
        var row = Assert.Single(rows);
        Assert.Equal("Acme France", row["Account.Name"]);
        Assert.Equal(false, row["Owner.IsActive"]);
        Assert.Equal(["Gamma"], Names("SELECT LastName FROM Lead WHERE Owner.IsActive = false"));
    }

    [Fact]
    public void OrderBy_SeveralKeysAndNulls()
    {
        Seed();
        Assert.Equal(["Gamma", "Alpha", "beta"], Names("SELECT LastName FROM Lead ORDER BY City NULLS FIRST"));
        Assert.Equal(["beta", "Alpha", "Gamma"], Names("SELECT LastName FROM Lead ORDER BY City DESC"));
        Assert.Equal(["beta", "Alpha", "Gamma"], Names("SELECT LastName FROM Lead ORDER BY Company ASC, NumberOfEmployees DESC"));
        Assert.Equal(["Alpha", "beta", "Gamma"], Names("SELECT LastName FROM Lead ORDER BY LastName"));
    }

    [Fact]
    public void LimitOffsetAndCount()
    {
        Seed();
        Assert.Equal(["beta"], Names("SELECT LastName FROM Lead ORDER BY LastName LIMIT 1 OFFSET 1"));
        Assert.Equal(2, Org.Data.Query("SELECT COUNT() FROM Lead WHERE Company = 'Acme'")[0]["COUNT()"]);
    }

    [Fact]
    public void CompoundName_IsQueryable()
    {
        InsertLead("Martin", extra: new() { ["FirstName"] = "Chloé" });
        var row = Assert.Single(Org.Data.Query("SELECT Name FROM Lead WHERE Name = 'chloé martin'"));
        Assert.Equal("Chloé Martin", row["Name"]);
    }

    [Fact]
    public void IdFilters_AcceptFifteenCharIds()
    {
        var id = InsertLead("Alpha");
        Assert.Equal(["Alpha"], Names($"SELECT LastName FROM Lead WHERE Id = '{id[..15]}'"));
        Assert.Equal(["Alpha"], Names($"SELECT LastName FROM Lead WHERE Id IN ('{id}')"));
    }

    [Theory]
    [InlineData("SELECT LastName FROM Lead GROUP BY LastName", "GROUP BY")]
    [InlineData("SELECT COUNT(Id) FROM Lead", "COUNT()")]
    [InlineData("SELECT MAX(NumberOfEmployees) FROM Lead", "MAX()")]
    [InlineData("SELECT Id, (SELECT Id FROM Contacts) FROM Account", "subqueries")]
    [InlineData("SELECT Id FROM Lead WHERE Id IN (SELECT LeadId FROM CampaignMember)", "subqueries")]
    [InlineData("SELECT Id FROM Lead WHERE LastName = 'a' AND City = 'b' OR City = 'c'", "parentheses")]
    [InlineData("SELECT Id FROM Lead WITH SECURITY_ENFORCED", "WITH")]
    [InlineData("SELECT Id FROM Lead WHERE LastName = :name", "bind variables")]
    [InlineData("SELECT Id FROM Lead FOR UPDATE", "FOR")]
    public void UnsupportedSyntax_IsMalformedQueryNamingIt(string soql, string named)
    {
        var error = Assert.Throws<SalesforceApiException>(() => Org.Data.Query(soql));
        Assert.Equal("MALFORMED_QUERY", error.ErrorCode);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT Foo FROM Lead", "INVALID_FIELD")]
    [InlineData("SELECT Id FROM Nope", "INVALID_TYPE")]
    [InlineData("SELECT Id FROM Lead WHERE CreatedDate > 2026-01-01", "INVALID_FIELD")]
    [InlineData("SELECT Id FROM Lead WHERE NumberOfEmployees = '5'", "INVALID_FIELD")]
    [InlineData("SELECT Id FROM Lead WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR")]
    [InlineData("SELECT Nope.Name FROM Lead", "INVALID_FIELD")]
    public void SemanticErrors_UseSalesforceCodes(string soql, string code)
    {
        var error = Assert.Throws<SalesforceApiException>(() => Org.Data.Query(soql));
        Assert.Equal(code, error.ErrorCode);
    }
}
