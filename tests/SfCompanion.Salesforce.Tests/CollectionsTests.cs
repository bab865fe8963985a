using System.Net;
using System.Text.Json;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class CollectionsTests
{
    private const string CollectionsPath = DataPath + "/composite/sobjects";

    [Fact]
    public async Task Create_sends_the_collections_format_and_returns_mixed_results_in_request_order()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPost()).RespondWith(Json("""
            [{"id":"00Q5e00000AbCdEAAV","success":true,"errors":[]},
             {"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]},
             {"id":"00Q5e00000AbCdFAAV","success":true,"errors":[]}]
            """));
        var records = new[]
        {
            new SObjectRecord("Lead") { ["LastName"] = "Martin", ["Company"] = "Acme", ["Sfc_Score__c"] = 42, ["Sfc_Scored_At__c"] = new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero) },
            new SObjectRecord("Lead") { ["Company"] = "NoName", ["Interests__c"] = new[] { "Email", "Events" } },
            new SObjectRecord("Lead") { ["LastName"] = "Durand", ["Company"] = "Beta", ["Email"] = null },
        };

        var results = await sf.Client.CreateAsync(records, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal([true, false, true], results.Select(r => r.Success));
        Assert.Equal("00Q5e00000AbCdEAAV", results[0].Id);
        var error = Assert.Single(results[1].Errors);
        Assert.Equal("REQUIRED_FIELD_MISSING", error.ErrorCode);
        Assert.Equal("Required fields are missing: [LastName]", error.Message);
        Assert.Equal(["LastName"], error.Fields);

        var request = Assert.Single(sf.ApiRequests);
        Assert.Equal("POST", request.RequestMessage.Method);
        Assert.Equal("FALSE", Header(request, "Sforce-Auto-Assign"));
        using var body = JsonDocument.Parse(Body(request));
        Assert.False(body.RootElement.GetProperty("allOrNone").GetBoolean());
        var sent = body.RootElement.GetProperty("records");
        Assert.Equal(3, sent.GetArrayLength());
        Assert.Equal("Lead", sent[0].GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(42, sent[0].GetProperty("Sfc_Score__c").GetInt32());
        Assert.Equal("2024-01-31T10:00:00.000+0000", sent[0].GetProperty("Sfc_Scored_At__c").GetString());
        Assert.Equal("Email;Events", sent[1].GetProperty("Interests__c").GetString());
        Assert.Equal(JsonValueKind.Null, sent[2].GetProperty("Email").ValueKind);
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.CollectionsCreate]);
    }

    [Fact]
    public async Task Update_splits_into_chunks_of_200_and_keeps_request_order()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch()).RespondWith(WireMock.ResponseBuilders.Response.Create()
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithCallback(request =>
            {
                using var doc = JsonDocument.Parse(request.Body!);
                var items = doc.RootElement.GetProperty("records").EnumerateArray()
                    .Select(r => $$"""{"id":"{{r.GetProperty("Id").GetString()}}","success":true,"errors":[]}""");
                return new WireMock.ResponseMessage { StatusCode = 200, BodyData = new WireMock.Util.BodyData { BodyAsString = "[" + string.Join(",", items) + "]", DetectedBodyType = WireMock.Types.BodyType.String } };
            }));
        var records = Enumerable.Range(0, 450).Select(i => new SObjectRecord("Contact") { Id = $"003{i:D15}", ["HasOptedOutOfEmail"] = true }).ToList();

        var results = await sf.Client.UpdateAsync(records, new CollectionOptions { UseAssignmentRules = true }, TestContext.Current.CancellationToken);

        Assert.Equal(records.Select(r => r.Id), results.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(0, 450), results.Select(r => r.Index));
        Assert.Equal([200, 200, 50], sf.ApiRequests.Select(r => JsonDocument.Parse(Body(r)).RootElement.GetProperty("records").GetArrayLength()));
        Assert.All(sf.ApiRequests, r => Assert.Equal("TRUE", Header(r, "Sforce-Auto-Assign")));
        Assert.Equal(3, sf.Client.Calls[SalesforceOperations.CollectionsUpdate]);
    }

    [Fact]
    public async Task Upsert_uses_the_external_id_path_and_reports_created()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath + "/Account/Sfc_External_Id__c").UsingPatch()).RespondWith(Json("""
            [{"id":"001000000000001AAA","success":true,"errors":[],"created":true},
             {"id":"001000000000002AAA","success":true,"errors":[],"created":false}]
            """));
        var records = new[]
        {
            new SObjectRecord { ["Sfc_External_Id__c"] = "A-1", ["Name"] = "Acme" },
            new SObjectRecord("Account") { ["Sfc_External_Id__c"] = "A-2", ["Name"] = "Beta" },
        };

        var results = await sf.Client.UpsertAsync("Account", "Sfc_External_Id__c", records, new CollectionOptions { AllOrNone = true }, TestContext.Current.CancellationToken);

        Assert.Equal([true, false], results.Select(r => r.Created));
        using var body = JsonDocument.Parse(Body(sf.ApiRequests.Single()));
        Assert.True(body.RootElement.GetProperty("allOrNone").GetBoolean());
        Assert.All(body.RootElement.GetProperty("records").EnumerateArray(), r => Assert.Equal("Account", r.GetProperty("attributes").GetProperty("type").GetString()));
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.CollectionsUpsert]);
    }

    [Fact]
    public async Task Delete_sends_ids_and_allOrNone_in_the_query_string()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingDelete()).RespondWith(Json("""
            [{"id":"00Q000000000001AAA","success":true,"errors":[]},
             {"id":"00Q000000000002AAA","success":false,"errors":[{"statusCode":"ENTITY_IS_DELETED","message":"entity is deleted","fields":[]}]}]
            """));

        var results = await sf.Client.DeleteAsync(["00Q000000000001AAA", "00Q000000000002AAA"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("ENTITY_IS_DELETED", results[1].ErrorCode);
        var query = sf.ApiRequests.Single().RequestMessage.Query!;
        Assert.Equal("00Q000000000001AAA,00Q000000000002AAA", query["ids"].Single());
        Assert.Equal("false", query["allOrNone"].Single());
    }

    [Fact]
    public async Task Records_refused_with_UNABLE_TO_LOCK_ROW_are_sent_again_alone()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch()).InScenario("lock").WillSetStateTo("released").RespondWith(Json("""
            [{"id":"003000000000001AAA","success":true,"errors":[]},
             {"id":"003000000000002AAA","success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record","fields":[]}]}]
            """));
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch()).InScenario("lock").WhenStateIs("released").RespondWith(Json("""
            [{"id":"003000000000002AAA","success":true,"errors":[]}]
            """));
        var records = new[]
        {
            new SObjectRecord("Contact") { Id = "003000000000001AAA", ["Title"] = "CEO" },
            new SObjectRecord("Contact") { Id = "003000000000002AAA", ["Title"] = "CTO" },
        };

        var results = await sf.Client.UpdateAsync(records, cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(results, r => Assert.True(r.Success));
        Assert.Equal(2, sf.ApiRequests.Count);
        using var retried = JsonDocument.Parse(Body(sf.ApiRequests[1]));
        Assert.Equal(["003000000000002AAA"], retried.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("Id").GetString()));
    }

    [Fact]
    public async Task Create_is_not_retried_after_a_503()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPost()).RespondWith(Json("""[{"message":"Server unavailable","errorCode":"SERVER_UNAVAILABLE"}]""", 503));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.CreateAsync([new SObjectRecord("Lead") { ["LastName"] = "X" }], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatus);
        Assert.Single(sf.ApiRequests);
    }

    [Fact]
    public async Task Update_is_retried_after_a_503_honouring_Retry_After()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch()).InScenario("busy").WillSetStateTo("ok")
            .RespondWith(Json("""[{"message":"Server unavailable","errorCode":"SERVER_UNAVAILABLE"}]""", 503).WithHeader("Retry-After", "1"));
        sf.Server.Given(Request.Create().WithPath(CollectionsPath).UsingPatch()).InScenario("busy").WhenStateIs("ok")
            .RespondWith(Json("""[{"id":"003000000000001AAA","success":true,"errors":[]}]"""));

        var results = await sf.Client.UpdateAsync([new SObjectRecord("Contact") { Id = "003000000000001AAA", ["Title"] = "CEO" }], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(results.Single().Success);
        Assert.Equal(2, sf.ApiRequests.Count);
        Assert.Equal(2, sf.Client.Calls[SalesforceOperations.CollectionsUpdate]);
    }

    [Fact]
    public async Task Ambiguous_external_id_300_is_a_typed_error()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath(CollectionsPath + "/Account/Sfc_External_Id__c").UsingPatch())
            .RespondWith(Json("""["/services/data/v66.0/sobjects/Account/001000000000001AAA","/services/data/v66.0/sobjects/Account/001000000000002AAA"]""", 300));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.UpsertAsync("Account", "Sfc_External_Id__c", [new SObjectRecord { ["Sfc_External_Id__c"] = "dup" }], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.MultipleChoices, error.HttpStatus);
        Assert.Equal("MULTIPLE_CHOICES", error.ErrorCode);
        Assert.Equal(2, error.Errors.Count);
        Assert.Single(sf.ApiRequests);
    }
}
