using System.Net;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class QueryTests
{
    private const string Soql = "SELECT Id, Name, Account.Name, Interests__c, Score__c, Active__c, LastModifiedDate FROM Lead";

    private static string Page(int from, int count, string? next) =>
        $$"""
        {"totalSize":{{count * 3}},"done":{{(next is null ? "true" : "false")}},{{(next is null ? "" : $"\"nextRecordsUrl\":\"{next}\",")}}"records":[{{string.Join(",", Enumerable.Range(from, count).Select(Lead))}}]}
        """;

    private static string Lead(int i) =>
        $$"""
        {"attributes":{"type":"Lead","url":"/services/data/v66.0/sobjects/Lead/00Q{{i:D12}}"},"Id":"00Q{{i:D12}}","Name":"Lead {{i}}",
         "Account":{{(i % 2 == 0 ? $"{{\"attributes\":{{\"type\":\"Account\",\"url\":\"/services/data/v66.0/sobjects/Account/001{i:D12}\"}},\"Name\":\"Acme {i}\"}}" : "null")}},
         "Interests__c":"Email;Events","Score__c":{{i}}.5,"Active__c":true,"LastModifiedDate":"2024-01-31T10:00:00.000+0000"}
        """;

    private static void StubThreePages(SalesforceTestServer sf, string? authorization = null)
    {
        var first = Request.Create().WithPath($"{DataPath}/query").WithParam("q", Soql).UsingGet();
        var second = Request.Create().WithPath($"{DataPath}/query/01gD0000002HU6KIAW-3").UsingGet();
        var third = Request.Create().WithPath($"{DataPath}/query/01gD0000002HU6KIAW-6").UsingGet();
        if (authorization is not null)
        {
            second = second.WithHeader("Authorization", authorization);
        }

        sf.Server.Given(first).RespondWith(Json(Page(0, 3, $"{DataPath}/query/01gD0000002HU6KIAW-3")));
        sf.Server.Given(second).RespondWith(Json(Page(3, 3, $"{DataPath}/query/01gD0000002HU6KIAW-6")));
        sf.Server.Given(third).RespondWith(Json(Page(6, 3, null), usage: "api-usage=28/15000"));
    }

    [Fact]
    public async Task Query_follows_nextRecordsUrl_over_three_pages_in_order()
    {
        using var sf = Create();
        StubThreePages(sf);

        var records = await sf.Client.QueryAsync(Soql, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"00Q{i:D12}"), records.Select(r => r.Id));
        Assert.Equal(["/services/data/v66.0/query", "/services/data/v66.0/query/01gD0000002HU6KIAW-3", "/services/data/v66.0/query/01gD0000002HU6KIAW-6"], sf.ApiRequests.Select(r => r.RequestMessage.Path));
        Assert.All(sf.ApiRequests, r => Assert.Equal("Bearer 00D-TOKEN-1", Header(r, "Authorization")));
        Assert.Equal(Soql, sf.ApiRequests[0].RequestMessage.Query!["q"].Single());
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.Query]);
        Assert.Equal(2, sf.Client.Calls[SalesforceOperations.QueryMore]);
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.AuthToken]);
        Assert.Equal(3, sf.Client.Calls.ApiCalls);
        Assert.Equal(new ApiUsage(28, 15000, sf.Client.LastApiUsage!.ObservedAt), sf.Client.LastApiUsage);
    }

    [Fact]
    public async Task Query_maps_fields_relationships_picklists_dates_and_nulls()
    {
        using var sf = Create();
        StubThreePages(sf);

        var records = await sf.Client.QueryAsync(Soql, cancellationToken: TestContext.Current.CancellationToken).Take(2).ToListAsync(TestContext.Current.CancellationToken);

        var withAccount = records[0];
        Assert.Equal("Lead", withAccount.Type);
        Assert.Equal("/services/data/v66.0/sobjects/Lead/00Q000000000000", withAccount.Url);
        Assert.Equal("Acme 0", withAccount["Account.Name"]);
        Assert.Equal("Acme 0", withAccount["account.name"]);
        Assert.Equal(["Email", "Events"], withAccount.GetMultiPicklist("Interests__c"));
        Assert.Equal(0.5m, withAccount["Score__c"]);
        Assert.Equal(true, withAccount["Active__c"]);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero), withAccount.GetDateTimeOffset("LastModifiedDate"));

        var withoutAccount = records[1];
        Assert.True(withoutAccount.ContainsField("Account"));
        Assert.Null(withoutAccount["Account"]);
        Assert.Null(withoutAccount["Account.Name"]);
    }

    private sealed record LeadRow(string Id, string Name, AccountRef? Account, decimal Score__c, DateTimeOffset LastModifiedDate);

    private sealed record AccountRef(string Name);

    [Fact]
    public async Task Typed_query_binds_records_and_salesforce_dates()
    {
        using var sf = Create();
        StubThreePages(sf);

        var leads = await sf.Client.QueryAsync<LeadRow>(Soql, cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(9, leads.Count);
        Assert.Equal("Acme 2", leads[2].Account!.Name);
        Assert.Null(leads[1].Account);
        Assert.Equal(2.5m, leads[2].Score__c);
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero), leads[2].LastModifiedDate);
    }

    [Fact]
    public async Task Expired_token_mid_stream_refreshes_once_and_continues_without_gaps_or_duplicates()
    {
        using var sf = Create(stubToken: false);
        sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("token").WillSetStateTo("second")
            .RespondWith(Json(sf.TokenJson("00D-TOKEN-1")));
        sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).InScenario("token").WhenStateIs("second")
            .RespondWith(Json(sf.TokenJson("00D-TOKEN-2")));
        StubThreePages(sf, authorization: "Bearer 00D-TOKEN-2");
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query/01gD0000002HU6KIAW-3").WithHeader("Authorization", "Bearer 00D-TOKEN-1").UsingGet())
            .RespondWith(Json("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", 401));

        var ids = await sf.Client.QueryAsync(Soql, cancellationToken: TestContext.Current.CancellationToken).Select(r => r.Id).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"00Q{i:D12}"), ids);
        Assert.Equal(2, sf.TokenRequests);
        var secondPage = sf.ApiRequests.Where(r => r.RequestMessage.Path.EndsWith("-3", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Bearer 00D-TOKEN-1", "Bearer 00D-TOKEN-2"], secondPage.Select(r => Header(r, "Authorization")));
        Assert.Equal("Bearer 00D-TOKEN-2", Header(sf.ApiRequests[^1], "Authorization"));
        Assert.Equal(3, sf.Client.Calls[SalesforceOperations.QueryMore]);
    }

    [Fact]
    public async Task A_second_401_is_not_retried_again()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet())
            .RespondWith(Json("""[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]""", 401));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.QueryAsync("SELECT Id FROM Lead", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("INVALID_SESSION_ID", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatus);
        Assert.Equal(2, sf.ApiRequests.Count);
        Assert.Equal(2, sf.TokenRequests);
    }

    [Fact]
    public async Task QueryAll_and_batch_size_are_sent()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/queryAll").UsingGet()).RespondWith(Json(Page(0, 1, null)));

        var records = await sf.Client.QueryAsync("SELECT Id FROM Lead", new QueryOptions { BatchSize = 500, IncludeDeleted = true }, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Single(records);
        Assert.Equal("batchSize=500", Header(sf.ApiRequests.Single(), "Sforce-Query-Options"));
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.QueryAll]);
    }

    [Fact]
    public async Task Count_returns_totalSize_with_one_call()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet()).RespondWith(Json("""{"totalSize":1234,"done":true,"records":[]}"""));

        var count = await sf.Client.CountAsync("SELECT COUNT() FROM Lead", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1234, count);
        Assert.Single(sf.ApiRequests);
        Assert.Null(Header(sf.ApiRequests[0], "Sforce-Query-Options"));
    }

    [Fact]
    public async Task Malformed_query_is_a_typed_error_and_not_retried()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet()).RespondWith(Json(
            """[{"message":"\nSELECT Nme FROM Lead\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nme' on entity 'Lead'.","errorCode":"INVALID_FIELD"}]""", 400));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.QueryAsync("SELECT Nme FROM Lead", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("INVALID_FIELD", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.HttpStatus);
        Assert.Contains("No such column 'Nme'", error.SalesforceMessage, StringComparison.Ordinal);
        Assert.Single(sf.ApiRequests);
    }
}
