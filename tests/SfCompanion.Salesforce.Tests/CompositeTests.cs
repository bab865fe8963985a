using System.Text.Json;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class CompositeTests
{
    private const string CompositePath = DataPath + "/composite";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Queries_go_as_documented_subrequests_in_one_call_and_a_refused_one_fails_alone()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CompositePath).UsingPost()).RespondWith(Json("""
            {"compositeResponse":[
              {"body":{"totalSize":2,"done":false,"nextRecordsUrl":"/services/data/v66.0/query/01gRM000003ZqPGYA0-2000",
                       "records":[{"attributes":{"type":"Lead","url":"/services/data/v66.0/sobjects/Lead/00Q5e00000AbCdEAAV"},"Id":"00Q5e00000AbCdEAAV","LastName":"Martin"}]},
               "httpHeaders":{},"httpStatusCode":200,"referenceId":"lead"},
              {"body":[{"message":"\nSELECT Id, Gone__c FROM Contact\n           ^\nERROR at Row:1:Column:12\nNo such column 'Gone__c' on entity 'Contact'.","errorCode":"INVALID_FIELD"}],
               "httpHeaders":{},"httpStatusCode":400,"referenceId":"contact"}]}
            """));

        var results = await sf.Client.QueryCompositeAsync<SObjectRecord>(
        [
            new CompositeQuery { ReferenceId = "lead", Soql = "SELECT Id, LastName FROM Lead WHERE SystemModstamp >= 2024-01-31T10:00:00Z", IncludeDeleted = true, BatchSize = 500 },
            new CompositeQuery { ReferenceId = "contact", Soql = "SELECT Id, Gone__c FROM Contact" },
        ], Ct);

        var request = Assert.Single(sf.ApiRequests);
        Assert.Equal("POST", request.RequestMessage.Method);
        using var body = JsonDocument.Parse(Body(request));
        Assert.False(body.RootElement.GetProperty("allOrNone").GetBoolean());
        var subrequests = body.RootElement.GetProperty("compositeRequest");
        Assert.Equal(2, subrequests.GetArrayLength());
        Assert.Equal("GET", subrequests[0].GetProperty("method").GetString());
        Assert.Equal("/services/data/v66.0/queryAll?q=SELECT%20Id%2C%20LastName%20FROM%20Lead%20WHERE%20SystemModstamp%20%3E%3D%202024-01-31T10%3A00%3A00Z",
            subrequests[0].GetProperty("url").GetString());
        Assert.Equal("lead", subrequests[0].GetProperty("referenceId").GetString());
        Assert.Equal("batchSize=500", subrequests[0].GetProperty("httpHeaders").GetProperty("Sforce-Query-Options").GetString());
        Assert.StartsWith("/services/data/v66.0/query?q=", subrequests[1].GetProperty("url").GetString(), StringComparison.Ordinal);

        Assert.True(results[0].Success);
        Assert.Equal("Martin", results[0].Page!.Records[0]["LastName"]);
        Assert.Equal("/services/data/v66.0/query/01gRM000003ZqPGYA0-2000", results[0].Page!.NextRecordsUrl);
        Assert.False(results[1].Success);
        Assert.Equal("INVALID_FIELD", results[1].Error!.ErrorCode);
        Assert.Contains("No such column 'Gone__c'", results[1].Error!.SalesforceMessage, StringComparison.Ordinal);
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.Composite]);
        Assert.Equal(1, sf.Client.Calls.ApiCalls);
    }

    [Fact]
    public async Task Next_pages_of_several_queries_share_a_call_and_more_than_five_queries_take_two()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CompositePath).UsingPost()).RespondWith(WireMock.ResponseBuilders.Response.Create()
            .WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithCallback(request =>
            {
                using var doc = JsonDocument.Parse(request.Body!);
                var items = doc.RootElement.GetProperty("compositeRequest").EnumerateArray().Select(s =>
                    $$"""{"body":{"totalSize":0,"done":true,"records":[]},"httpHeaders":{},"httpStatusCode":200,"referenceId":"{{s.GetProperty("referenceId").GetString()}}"}""");
                return new WireMock.ResponseMessage { StatusCode = 200, BodyData = new WireMock.Util.BodyData { BodyAsString = $$"""{"compositeResponse":[{{string.Join(",", items)}}]}""", DetectedBodyType = WireMock.Types.BodyType.String } };
            }));
        var queries = Enumerable.Range(0, 7).Select(i => new CompositeQuery { ReferenceId = "q" + i, NextRecordsUrl = $"{sf.Url}/services/data/v66.0/queryAll/01gRM00000{i}-2000" }).ToList();

        var results = await sf.Client.QueryCompositeAsync<SObjectRecord>(queries, Ct);

        Assert.Equal(7, results.Count);
        Assert.Equal(2, sf.ApiRequests.Count);
        using var first = JsonDocument.Parse(Body(sf.ApiRequests[0]));
        Assert.Equal(5, first.RootElement.GetProperty("compositeRequest").GetArrayLength());
        Assert.Equal("/services/data/v66.0/queryAll/01gRM000000-2000", first.RootElement.GetProperty("compositeRequest")[0].GetProperty("url").GetString());
        Assert.Equal(2, sf.Client.Calls[SalesforceOperations.Composite]);
    }

    [Fact]
    public async Task Writes_reference_earlier_results_and_all_or_none_is_sent_and_reported()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CompositePath).UsingPost()).RespondWith(Json("""
            {"compositeResponse":[
              {"body":[{"errorCode":"PROCESSING_HALTED","message":"The transaction was rolled back since another operation in the same transaction failed."}],"httpHeaders":{},"httpStatusCode":400,"referenceId":"account"},
              {"body":[{"message":"Email: invalid email address: nope","errorCode":"INVALID_EMAIL_ADDRESS","fields":["Email"]}],"httpHeaders":{},"httpStatusCode":400,"referenceId":"contact"}]}
            """));

        var result = await sf.Client.CompositeAsync(
        [
            new CompositeSubrequest { Method = "POST", Url = "sobjects/Account", ReferenceId = "account", Body = new SObjectRecord { ["Name"] = "Acme" } },
            new CompositeSubrequest { Method = "POST", Url = "sobjects/Contact", ReferenceId = "contact", Body = new SObjectRecord { ["LastName"] = "Martin", ["AccountId"] = "@{account.id}", ["Email"] = "nope" } },
        ], new CompositeOptions { AllOrNone = true }, Ct);

        using var body = JsonDocument.Parse(Body(Assert.Single(sf.ApiRequests)));
        Assert.True(body.RootElement.GetProperty("allOrNone").GetBoolean());
        var contact = body.RootElement.GetProperty("compositeRequest")[1];
        Assert.Equal("/services/data/v66.0/sobjects/Contact", contact.GetProperty("url").GetString());
        Assert.Equal("@{account.id}", contact.GetProperty("body").GetProperty("AccountId").GetString());
        Assert.Equal("PROCESSING_HALTED", result["account"].Errors[0].ErrorCode);
        var error = Assert.Single(result["contact"].Errors);
        Assert.Equal("INVALID_EMAIL_ADDRESS", error.ErrorCode);
        Assert.Equal(["Email"], error.Fields);
        var thrown = Assert.Throws<SalesforceApiException>(() => result["contact"].Read<SaveResultBody>());
        Assert.Equal("INVALID_EMAIL_ADDRESS", thrown.ErrorCode);
    }

    [Fact]
    public async Task The_limits_are_enforced_before_sending_with_a_clear_error()
    {
        using var sf = Create();
        var tooMany = Enumerable.Range(0, 26).Select(i => new CompositeSubrequest { Method = "GET", Url = "sobjects/Lead/00Q5e00000AbCd" + i, ReferenceId = "r" + i }).ToList();
        var sixQueries = Enumerable.Range(0, 6).Select(i => CompositeSubrequest.Query("q" + i, "SELECT Id FROM Lead")).ToList();
        var duplicate = new[] { CompositeSubrequest.Query("same", "SELECT Id FROM Lead"), CompositeSubrequest.Query("same", "SELECT Id FROM Contact") };

        var e1 = await Assert.ThrowsAsync<ArgumentException>(() => sf.Client.CompositeAsync(tooMany, cancellationToken: Ct));
        var e2 = await Assert.ThrowsAsync<ArgumentException>(() => sf.Client.CompositeAsync(sixQueries, cancellationToken: Ct));
        var e3 = await Assert.ThrowsAsync<ArgumentException>(() => sf.Client.CompositeAsync(duplicate, cancellationToken: Ct));
        var e4 = await Assert.ThrowsAsync<ArgumentException>(() => sf.Client.CompositeAsync([CompositeSubrequest.Query("bad-id", "SELECT Id FROM Lead")], cancellationToken: Ct));

        Assert.Contains("at most 25 subrequests; 26 were given", e1.Message, StringComparison.Ordinal);
        Assert.Contains("at most 5 query or sObject Collections subrequests; 6 were given (q0, q1, q2, q3, q4, q5)", e2.Message, StringComparison.Ordinal);
        Assert.Contains("'same' is used twice", e3.Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits and underscores", e4.Message, StringComparison.Ordinal);
        Assert.Empty(sf.ApiRequests);
    }

    [Fact]
    public async Task A_refused_composite_call_is_a_typed_exception()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CompositePath).UsingPost()).RespondWith(Json("""
            [{"message":"Missing required field: referenceId","errorCode":"JSON_PARSER_ERROR"}]
            """, status: 400));

        var e = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.CompositeAsync([CompositeSubrequest.Query("a", "SELECT Id FROM Lead")], cancellationToken: Ct));

        Assert.Equal("JSON_PARSER_ERROR", e.ErrorCode);
        Assert.Equal(SalesforceOperations.Composite, e.Operation);
    }

    private sealed record SaveResultBody(string Id, bool Success);
}
