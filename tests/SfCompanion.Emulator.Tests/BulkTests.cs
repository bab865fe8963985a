using System.Text;
using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

public class BulkTests : OrgTestBase
{
    private async Task<string> CreateIngestJobAsync(object spec)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/ingest", spec);
        Assert.True(status == 200, body.ToString());
        Assert.Equal("Open", body.GetProperty("state").GetString());
        return body.GetProperty("id").GetString()!;
    }

    private async Task UploadAsync(string jobId, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await Http.PutAsync($"{Api}/jobs/ingest/{jobId}/batches", content, Ct);
        Assert.Equal(201, (int)response.StatusCode);
    }

    private async Task<JsonElement> WaitForAsync(string resource, string jobId)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var (_, info) = await GetAsync($"{Api}/jobs/{resource}/{jobId}");
            if (info.GetProperty("state").GetString() is "JobComplete" or "Failed" or "Aborted")
            {
                return info;
            }

            await Task.Delay(20, Ct);
        }

        throw new InvalidOperationException("The job did not finish.");
    }

    private async Task<(string Body, HttpResponseMessage Response)> GetCsvAsync(string path)
    {
        var response = await Http.GetAsync(path, Ct);
        return (await response.Content.ReadAsStringAsync(Ct), response);
    }

    [Fact]
    public async Task IngestInsert_ReportsSuccessfulAndFailedRows()
    {
        var job = await CreateIngestJobAsync(new { @object = "Lead", operation = "insert", contentType = "CSV", lineEnding = "LF" });
        await UploadAsync(job, "LastName,Company,NumberOfEmployees\nMartin,Acme,12\nDurand,,5\n\"Petit, Jr\",Globex,#N/A\n");
        var (_, patched) = await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{job}", new { state = "UploadComplete" });
        Assert.Equal("UploadComplete", patched.GetProperty("state").GetString());

        var info = await WaitForAsync("ingest", job);
        var (successful, _) = await GetCsvAsync($"{Api}/jobs/ingest/{job}/successfulResults");
        var (failed, _) = await GetCsvAsync($"{Api}/jobs/ingest/{job}/failedResults");

        Assert.Equal("JobComplete", info.GetProperty("state").GetString());
        Assert.Equal(3, info.GetProperty("numberRecordsProcessed").GetInt32());
        Assert.Equal(1, info.GetProperty("numberRecordsFailed").GetInt32());
        var lines = successful.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"sf__Id\",\"sf__Created\",\"LastName\",\"Company\",\"NumberOfEmployees\"", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains("\"Petit, Jr\"", successful, StringComparison.Ordinal);
        Assert.Contains("REQUIRED_FIELD_MISSING", failed, StringComparison.Ordinal);
        Assert.Equal(2, Org.Data.Count("Lead"));
    }

    [Fact]
    public async Task IngestUpdate_ByIdChangesRecords()
    {
        var a = InsertLead("A");
        var b = InsertLead("B");
        var job = await CreateIngestJobAsync(new { @object = "Lead", operation = "update" });
        await UploadAsync(job, $"Id,Sfc_Score__c,Sfc_Vip__c\n{a},10,true\n{b},20,false\n");
        await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{job}", new { state = "UploadComplete" });

        var info = await WaitForAsync("ingest", job);

        Assert.Equal(0, info.GetProperty("numberRecordsFailed").GetInt32());
        Assert.Equal(20m, Org.Data.Get(b)!["Sfc_Score__c"]);
        Assert.Equal(true, Org.Data.Get(a)!["Sfc_Vip__c"]);
    }

    [Fact]
    public async Task IngestUnknownColumn_FailsTheJob()
    {
        var job = await CreateIngestJobAsync(new { @object = "Lead", operation = "insert" });
        await UploadAsync(job, "LastName,Nope__c\nA,1\n");
        await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{job}", new { state = "UploadComplete" });

        var info = await WaitForAsync("ingest", job);

        Assert.Equal("Failed", info.GetProperty("state").GetString());
        Assert.Contains("Nope__c", info.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadToClosedJob_IsInvalidJobState()
    {
        var job = await CreateIngestJobAsync(new { @object = "Lead", operation = "insert" });
        await UploadAsync(job, "LastName,Company\nA,B\n");
        await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{job}", new { state = "UploadComplete" });

        using var content = new StringContent("LastName,Company\nC,D\n", Encoding.UTF8, "text/csv");
        using var response = await Http.PutAsync($"{Api}/jobs/ingest/{job}/batches", content, Ct);

        Assert.Equal(409, (int)response.StatusCode);
        Assert.Contains("INVALIDJOBSTATE", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryJob_ResultsArePagedWithLocator()
    {
        for (var i = 0; i < 25; i++)
        {
            InsertLead($"L{i:00}", "Acme, Inc");
        }

        var (_, created) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new { operation = "query", query = "SELECT Id, LastName, Company, Owner.Name FROM Lead ORDER BY LastName" });
        var job = created.GetProperty("id").GetString()!;
        var info = await WaitForAsync("query", job);
        Assert.Equal(25, info.GetProperty("numberRecordsProcessed").GetInt32());

        var rows = new List<string>();
        string? locator = null;
        var pages = 0;
        do
        {
            var (csv, response) = await GetCsvAsync($"{Api}/jobs/query/{job}/results?maxRecords=10{(locator is null ? "" : $"&locator={locator}")}");
            using (response)
            {
                pages++;
                var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal("\"Id\",\"LastName\",\"Company\",\"Owner.Name\"", lines[0]);
                Assert.Equal((lines.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Sforce-NumberOfRecords").Single());
                rows.AddRange(lines.Skip(1));
                locator = response.Headers.GetValues("Sforce-Locator").Single();
            }
        }
        while (locator != "null");

        Assert.Equal(3, pages);
        Assert.Equal(25, rows.Count);
        Assert.Contains("\"Acme, Inc\",\"Admin SfCompanion\"", rows[0], StringComparison.Ordinal);
        Assert.Contains("\"L24\"", rows[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryJob_LargePage_IsStreamedIntactToASlowReader()
    {
        const int count = 30_000;
        for (var i = 0; i < count; i++)
        {
            Org.Data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = $"L{i:00000}", ["Company"] = "Société \"Acme\", Inc" });
        }

        var (_, created) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new { operation = "query", query = "SELECT Id, LastName, Company FROM Lead" });
        var job = created.GetProperty("id").GetString()!;
        await WaitForAsync("query", job);

        // Headers arrive before the body; the body is read a few bytes at a time with pauses, as a slow client does.
        using var response = await Http.GetAsync($"{Api}/jobs/query/{job}/results?maxRecords={count}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Sforce-NumberOfRecords").Single());
        Assert.Equal("null", response.Headers.GetValues("Sforce-Locator").Single());
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        using var text = new MemoryStream();
        var buffer = new byte[997];
        int read;
        var reads = 0;
        while ((read = await body.ReadAsync(buffer, Ct)) > 0)
        {
            text.Write(buffer, 0, read);
            if (++reads % 200 == 0)
            {
                await Task.Delay(5, Ct);
            }
        }

        var lines = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("\"Id\",\"LastName\",\"Company\"", lines[0]);
        Assert.Equal(count + 1, lines.Length);
        Assert.Equal(count, lines.Skip(1).Select(l => l.Split(',')[1]).Distinct().Count());
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",\"Société \"\"Acme\"\", Inc\"", l.TrimEnd('\r'), StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueryJob_MalformedQuery_IsRefusedAtCreation()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new { operation = "query", query = "SELECT Id FROM Lead GROUP BY Id" });
        Assert.Equal(400, status);
        Assert.Equal("MALFORMED_QUERY", ErrorCode(body));
    }
}
