using System.Text;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class BulkTests
{
    private const string JobId = "7505e000001AbCdAAK";
    private const string IngestPath = DataPath + "/jobs/ingest";

    private static string IngestJob(string state, int processed = 0, int failed = 0) => $$"""
        {"id":"{{JobId}}","operation":"insert","object":"Lead","createdById":"005xx000001SwiUAAS","createdDate":"2024-01-31T10:00:00.000+0000",
         "systemModstamp":"2024-01-31T10:00:01.000+0000","state":"{{state}}","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":66.0,
         "contentUrl":"services/data/v66.0/jobs/ingest/{{JobId}}/batches","lineEnding":"LF","columnDelimiter":"COMMA",
         "numberRecordsProcessed":{{processed}},"numberRecordsFailed":{{failed}}}
        """;

    private static void StubIngest(SalesforceTestServer sf, string successCsv, string failedCsv)
    {
        sf.Server.Given(Request.Create().WithPath(IngestPath).UsingPost()).RespondWith(Json(IngestJob("Open")));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}/batches").UsingPut()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(201));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}").UsingPatch()).RespondWith(Json(IngestJob("UploadComplete")));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}").UsingGet()).InScenario("job").WillSetStateTo("done").RespondWith(Json(IngestJob("InProgress")));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}").UsingGet()).InScenario("job").WhenStateIs("done").RespondWith(Json(IngestJob("JobComplete", 3, 1)));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}/successfulResults/").UsingGet()).RespondWith(Csv(successCsv));
        sf.Server.Given(Request.Create().WithPath($"{IngestPath}/{JobId}/failedResults/").UsingGet()).RespondWith(Csv(failedCsv));
    }

    [Fact]
    public async Task Ingest_creates_uploads_closes_polls_and_parses_results()
    {
        using var sf = Create();
        StubIngest(
            sf,
            "\"sf__Id\",\"sf__Created\",LastName,Company,Sfc_Score__c\n\"00Q5e00000AbCdEAAV\",\"true\",\"Martin\",\"Acme, Inc.\",\"42\"\n\"00Q5e00000AbCdFAAV\",\"true\",\"Durand\",\"Beta\",\"#N/A\"\n",
            "\"sf__Id\",\"sf__Error\",LastName,Company,Sfc_Score__c\n\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --\",\"\",\"NoName\",\"7\"\n");
        var records = new[]
        {
            new SObjectRecord("Lead") { ["LastName"] = "Martin", ["Company"] = "Acme, Inc.", ["Sfc_Score__c"] = 42 },
            new SObjectRecord("Lead") { ["LastName"] = "Durand", ["Company"] = "Beta", ["Sfc_Score__c"] = null },
            new SObjectRecord("Lead") { ["Company"] = "NoName", ["Sfc_Score__c"] = 7 },
        };

        var result = await sf.Client.BulkIngestAsync("Lead", BulkOperation.Insert, records, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([("00Q5e00000AbCdEAAV", true), ("00Q5e00000AbCdFAAV", true)], result.Successful.Select(r => (r.Id, r.Created)));
        Assert.Equal("Acme, Inc.", result.Successful[0].Fields["Company"]);
        var failed = Assert.Single(result.Failed);
        Assert.Null(failed.Id);
        Assert.Equal("REQUIRED_FIELD_MISSING", failed.ErrorCode);
        Assert.Equal("NoName", failed.Fields["Company"]);
        Assert.Empty(result.Unprocessed);
        Assert.Equal("JobComplete", Assert.Single(result.Jobs).State);

        var requests = sf.ApiRequests.Select(r => $"{r.RequestMessage.Method} {r.RequestMessage.Path}").ToList();
        Assert.Equal(
            [
                $"POST {IngestPath}", $"PUT {IngestPath}/{JobId}/batches", $"PATCH {IngestPath}/{JobId}",
                $"GET {IngestPath}/{JobId}", $"GET {IngestPath}/{JobId}",
                $"GET {IngestPath}/{JobId}/successfulResults/", $"GET {IngestPath}/{JobId}/failedResults/",
            ],
            requests);
        var create = System.Text.Json.JsonDocument.Parse(Body(sf.ApiRequests[0])).RootElement;
        Assert.Equal("Lead", create.GetProperty("object").GetString());
        Assert.Equal("insert", create.GetProperty("operation").GetString());
        Assert.Equal("LF", create.GetProperty("lineEnding").GetString());
        Assert.Equal("text/csv", Header(sf.ApiRequests[1], "Content-Type"));
        Assert.Equal("LastName,Company,Sfc_Score__c\nMartin,\"Acme, Inc.\",42\nDurand,Beta,#N/A\n,NoName,7\n", Body(sf.ApiRequests[1]));
        Assert.Equal("""{"state":"UploadComplete"}""", Body(sf.ApiRequests[2]));
        Assert.Equal(2, sf.Client.Calls[SalesforceOperations.BulkIngestStatus]);
        Assert.Equal(2, sf.Client.Calls[SalesforceOperations.BulkIngestResults]);
    }

    [Fact]
    public async Task Ingest_splits_csv_above_the_upload_limit_across_jobs()
    {
        using var sf = Create(o => o.BulkMaxUploadBytes = 1024);
        StubIngest(sf, "\"sf__Id\",\"sf__Created\",Id,HasOptedOutOfEmail\n", "\"sf__Id\",\"sf__Error\",Id,HasOptedOutOfEmail\n");
        var csv = new StringBuilder("Id,HasOptedOutOfEmail\n");
        for (var i = 0; i < 100; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"003{i:D15},true\n");
        }

        using var input = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        await sf.Client.BulkIngestCsvAsync("Contact", BulkOperation.Update, input, cancellationToken: TestContext.Current.CancellationToken);

        var uploads = sf.ApiRequests.Where(r => r.RequestMessage.Method == "PUT").Select(Body).ToList();
        Assert.True(uploads.Count >= 3, $"expected several jobs, got {uploads.Count}");
        Assert.Equal(uploads.Count, sf.Client.Calls[SalesforceOperations.BulkIngestCreate]);
        Assert.All(uploads, u => Assert.True(Encoding.UTF8.GetByteCount(u) <= 1024));
        Assert.All(uploads, u => Assert.StartsWith("Id,HasOptedOutOfEmail\n", u, StringComparison.Ordinal));
        var rows = uploads.SelectMany(u => u.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"003{i:D15},true"), rows);
    }

    [Fact]
    public async Task Upsert_requires_an_external_id_field()
    {
        using var sf = Create();

        await Assert.ThrowsAsync<ArgumentException>(() => sf.Client.BulkIngestAsync("Lead", BulkOperation.Upsert, [new SObjectRecord("Lead") { ["Email"] = "a@b.c" }], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Empty(sf.Requests);
    }

    [Fact]
    public async Task Bulk_query_polls_and_streams_pages_until_the_locator_is_null()
    {
        using var sf = Create();
        const string queryPath = DataPath + "/jobs/query";
        sf.Server.Given(Request.Create().WithPath(queryPath).UsingPost()).RespondWith(Json(
            """{"id":"750R0000000zlh9IAA","operation":"query","object":"Contact","createdById":"005xx000001SwiUAAS","state":"UploadComplete","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":66.0,"lineEnding":"LF","columnDelimiter":"COMMA"}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R0000000zlh9IAA").UsingGet()).RespondWith(Json(
            """{"id":"750R0000000zlh9IAA","operation":"query","object":"Contact","state":"JobComplete","numberRecordsProcessed":3}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R0000000zlh9IAA/results").WithParam("locator", "MTAwMDA").UsingGet()).AtPriority(1)
            .RespondWith(Csv("\"Id\",\"Name\",\"Account.Name\"\n\"003000000000003AAA\",\"Chloé\",\"\"\n").WithHeader("Sforce-Locator", "null").WithHeader("Sforce-NumberOfRecords", "1"));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R0000000zlh9IAA/results").UsingGet()).AtPriority(10)
            .RespondWith(Csv("\"Id\",\"Name\",\"Account.Name\"\n\"003000000000001AAA\",\"Ann\",\"Acme\"\n\"003000000000002AAA\",\"Bob \"\"B\"\"\",\"Beta, Inc.\"\n").WithHeader("Sforce-Locator", "MTAwMDA").WithHeader("Sforce-NumberOfRecords", "2"));

        var records = await sf.Client.BulkQueryAsync("SELECT Id, Name, Account.Name FROM Contact", new BulkQueryOptions { MaxRecordsPerPage = 2 }, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["003000000000001AAA", "003000000000002AAA", "003000000000003AAA"], records.Select(r => r.Id));
        Assert.Equal("Bob \"B\"", records[1]["Name"]);
        Assert.Equal("Beta, Inc.", records[1]["Account.Name"]);
        Assert.Null(records[2]["Account.Name"]);
        Assert.All(records, r => Assert.Equal("Contact", r.Type));
        var pages = sf.ApiRequests.Where(r => r.RequestMessage.Path.EndsWith("/results", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pages.Count);
        Assert.False(pages[0].RequestMessage.Query!.ContainsKey("locator"));
        Assert.Equal("2", pages[0].RequestMessage.Query!["maxRecords"].Single());
        Assert.Equal("MTAwMDA", pages[1].RequestMessage.Query!["locator"].Single());
        using var create = System.Text.Json.JsonDocument.Parse(Body(sf.ApiRequests[0]));
        Assert.Equal("query", create.RootElement.GetProperty("operation").GetString());
        Assert.Equal(4, sf.Client.Calls.ApiCalls);
    }

    [Fact]
    public async Task Failed_bulk_query_job_is_a_typed_error()
    {
        using var sf = Create();
        const string queryPath = DataPath + "/jobs/query";
        sf.Server.Given(Request.Create().WithPath(queryPath).UsingPost()).RespondWith(Json("""{"id":"750R1","object":"Contact","state":"UploadComplete"}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R1").UsingGet()).RespondWith(Json("""{"id":"750R1","object":"Contact","state":"Failed","errorMessage":"INVALID_FIELD: No such column 'Nme'"}"""));

        var error = await Assert.ThrowsAsync<SalesforceBulkJobException>(() => sf.Client.BulkQueryAsync("SELECT Nme FROM Contact", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("750R1", error.JobId);
        Assert.Equal("Failed", error.State);
        Assert.Contains("Nme", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_job_started_ahead_is_read_later_and_an_unread_one_is_aborted()
    {
        using var sf = Create();
        const string queryPath = DataPath + "/jobs/query";
        sf.Server.Given(Request.Create().WithPath(queryPath).UsingPost()).RespondWith(Json("""{"id":"750R2","object":"Lead","state":"UploadComplete"}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R2").UsingGet()).RespondWith(Json("""{"id":"750R2","object":"Lead","state":"JobComplete"}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R2").UsingPatch()).RespondWith(Json("""{"id":"750R2","object":"Lead","state":"Aborted"}"""));
        sf.Server.Given(Request.Create().WithPath($"{queryPath}/750R2/results").UsingGet())
            .RespondWith(Csv("\"Id\",\"Email\"\n\"00Q000000000001AAA\",\"a@example.com\"\n").WithHeader("Sforce-Locator", "null"));
        var ct = TestContext.Current.CancellationToken;

        var job = await sf.Client.StartBulkQueryAsync("SELECT Id, Email FROM Lead", new BulkQueryOptions { IncludeDeleted = true }, ct);
        Assert.Equal("750R2", job.Id);
        Assert.Equal("Lead", job.SObjectType);
        Assert.Equal(1, sf.Client.Calls.ApiCalls);
        using (var create = System.Text.Json.JsonDocument.Parse(Body(sf.ApiRequests[0])))
        {
            Assert.Equal("queryAll", create.RootElement.GetProperty("operation").GetString());
        }

        var records = await sf.Client.ReadBulkQueryAsync(job, cancellationToken: ct).ToListAsync(ct);
        Assert.Equal("a@example.com", Assert.Single(records)["Email"]);
        Assert.Equal(3, sf.Client.Calls.ApiCalls);

        await sf.Client.AbortBulkQueryAsync(job, ct);
        var abort = sf.ApiRequests.Single(r => r.RequestMessage.Method == "PATCH");
        Assert.EndsWith("/jobs/query/750R2", abort.RequestMessage.Path, StringComparison.Ordinal);
        using var body = System.Text.Json.JsonDocument.Parse(Body(abort));
        Assert.Equal("Aborted", body.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Records_changing_different_fields_share_one_job_with_empty_cells_for_the_fields_they_leave()
    {
        using var sf = Create();
        StubIngest(sf, "\"sf__Id\",\"sf__Created\",Id,Sfc_Vip__c,Sfc_Vip_Reasons__c,Sfc_Score__c\n", "\"sf__Id\",\"sf__Error\",Id\n");
        var records = new[]
        {
            new SObjectRecord("Contact") { Id = "003000000000001AAA", ["Sfc_Vip__c"] = true, ["Sfc_Vip_Reasons__c"] = "client" },
            new SObjectRecord("Contact") { Id = "003000000000002AAA", ["Sfc_Vip__c"] = false, ["Sfc_Vip_Reasons__c"] = "" },
            new SObjectRecord("Contact") { Id = "003000000000003AAA", ["Sfc_Score__c"] = 42 },
        };

        await sf.Client.BulkIngestAsync("Contact", BulkOperation.Update, records, cancellationToken: TestContext.Current.CancellationToken);

        // One job: every field any record changes is a column; a cell a record leaves empty is left unchanged, and a
        // cleared value is #N/A.
        Assert.Single(sf.ApiRequests, r => r.RequestMessage.Method == "PUT");
        Assert.Equal(
            "Id,Sfc_Vip__c,Sfc_Vip_Reasons__c,Sfc_Score__c\n003000000000001AAA,true,client,\n003000000000002AAA,false,#N/A,\n003000000000003AAA,,,42\n",
            Body(sf.ApiRequests.Single(r => r.RequestMessage.Method == "PUT")));
    }
}
