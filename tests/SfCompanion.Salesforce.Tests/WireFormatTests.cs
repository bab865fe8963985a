using System.Text;
using System.Text.Json;

namespace SfCompanion.Salesforce.Tests;

public class WireFormatTests
{
    [Theory]
    [InlineData("2024-01-31T10:00:00.000+0000")]
    [InlineData("2024-01-31T10:00:00.000Z")]
    [InlineData("2024-01-31T11:00:00.000+01:00")]
    [InlineData("2024-01-31T05:00:00-0500")]
    public void Salesforce_date_times_parse(string text) =>
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero), SalesforceDateTime.Parse(text).ToUniversalTime());

    [Fact]
    public void Date_times_format_like_salesforce() =>
        Assert.Equal("2024-01-31T10:00:00.000+0000", SalesforceDateTime.Format(new DateTimeOffset(2024, 1, 31, 11, 0, 0, TimeSpan.FromHours(1))));

    [Fact]
    public void Page_parser_reads_child_subqueries_compound_fields_and_next_url()
    {
        var json = """
            {"totalSize":2,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01gXX-2000","records":[
             {"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001A"},"Id":"001A",
              "Owner":{"attributes":{"type":"User","url":"/x"},"Name":"Zoé","Manager":{"attributes":{"type":"User","url":"/y"},"Email":"m@acme.example"}},
              "BillingAddress":{"city":"Lyon","country":"FR"},
              "Contacts":{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Contact","url":"/c1"},"Id":"003A"},{"attributes":{"type":"Contact","url":"/c2"},"Id":"003B"}]},
              "AnnualRevenue":12345678901234.56,"NumberOfEmployees":12}]}
            """;

        var page = QueryPageParser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.False(page.Done);
        Assert.Equal("/services/data/v66.0/query/01gXX-2000", page.NextRecordsUrl);
        var account = Assert.Single(page.Records);
        Assert.Equal("Zoé", account["Owner.Name"]);
        Assert.Equal("m@acme.example", account["Owner.Manager.Email"]);
        Assert.Equal("Lyon", account["BillingAddress.city"]);
        Assert.Equal(["003A", "003B"], account.GetChildRecords("Contacts").Select(c => c.Id));
        Assert.Equal("Contact", account.GetChildRecords("Contacts")[0].Type);
        Assert.Equal(12345678901234.56m, account.GetDecimal("AnnualRevenue"));
        Assert.Equal(12m, account["NumberOfEmployees"]);
        Assert.False(account.ContainsField("attributes"));
    }

    [Fact]
    public void Records_serialise_nested_relationships_and_reject_dotted_names()
    {
        var record = new SObjectRecord("Contact")
        {
            ["LastName"] = "Martin",
            ["Account"] = new SObjectRecord("Account") { ["Sfc_External_Id__c"] = "A-1" },
            ["Birthdate"] = new DateOnly(1990, 5, 17),
        };

        var json = JsonSerializer.Serialize(record, SalesforceJson.Options);

        Assert.Equal("""{"attributes":{"type":"Contact"},"LastName":"Martin","Account":{"attributes":{"type":"Account"},"Sfc_External_Id__c":"A-1"},"Birthdate":"1990-05-17"}""", json);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(new SObjectRecord("Contact") { ["Account.Name"] = "x" }, SalesforceJson.Options));
    }

    [Theory]
    [InlineData("GET", "/services/data/v66.0/query", SalesforceOperations.Query)]
    [InlineData("GET", "/services/data/v66.0/query/01gXX-2000", SalesforceOperations.QueryMore)]
    [InlineData("POST", "/services/data/v66.0/composite/sobjects", SalesforceOperations.CollectionsCreate)]
    [InlineData("PATCH", "/services/data/v66.0/composite/sobjects/Lead/Ext__c", SalesforceOperations.CollectionsUpsert)]
    [InlineData("PUT", "/services/data/v66.0/jobs/ingest/750X/batches", SalesforceOperations.BulkIngestUpload)]
    [InlineData("GET", "/services/data/v66.0/jobs/ingest/750X/failedResults/", SalesforceOperations.BulkIngestResults)]
    [InlineData("GET", "/services/data/v66.0/jobs/query/750X/results", SalesforceOperations.BulkQueryResults)]
    [InlineData("GET", "/services/data/v66.0/sobjects/Lead/deleted/", SalesforceOperations.Deleted)]
    [InlineData("POST", "/services/oauth2/token", SalesforceOperations.AuthToken)]
    [InlineData("GET", "/services/data/", SalesforceOperations.Versions)]
    public void Operations_are_classified_from_method_and_path(string method, string path, string expected) =>
        Assert.Equal(expected, SalesforceOperations.Classify(new HttpMethod(method), new Uri("https://acme.my.salesforce.com" + path)));
}
