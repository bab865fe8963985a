using System.Globalization;
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
    public async Task IngestOfAFieldNoLongerVisible_FailsTheJob_AndAnEmptyUploadsResultsAreEmpty()
    {
        var a = InsertLead("A");
        Org.Data.RevokeAccess("Lead", "Sfc_Score__c");
        var job = await CreateIngestJobAsync(new { @object = "Lead", operation = "update" });
        await UploadAsync(job, $"Id,Sfc_Score__c\n{a},10\n");
        await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{job}", new { state = "UploadComplete" });
        var info = await WaitForAsync("ingest", job);
        Assert.Equal("Failed", info.GetProperty("state").GetString());
        Assert.Equal("InvalidBatch : Field name not found : Sfc_Score__c", info.GetProperty("errorMessage").GetString());
        Assert.Null(Org.Data.Get(a)!["Sfc_Score__c"]);
        Org.Data.RestoreAccess();

        var empty = await CreateIngestJobAsync(new { @object = "Lead", operation = "update" });
        await UploadAsync(empty, "");
        await SendAsync(HttpMethod.Patch, $"{Api}/jobs/ingest/{empty}", new { state = "UploadComplete" });
        Assert.Equal("InvalidBatch : Empty CSV file", (await WaitForAsync("ingest", empty)).GetProperty("errorMessage").GetString());
        var (unprocessed, response) = await GetCsvAsync($"{Api}/jobs/ingest/{empty}/unprocessedrecords");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("", unprocessed);
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
        const int count = 200_000;
        const string company = "Société \"Acme\", Inc";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            ids.Add(Org.Data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = $"L{i:000000}", ["Company"] = company }));
        }

        var (_, created) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new { operation = "query", query = "SELECT Id, LastName, Company FROM Lead" });
        var job = created.GetProperty("id").GetString()!;
        await WaitForAsync("query", job);

        // The headers arrive before the body, and no length is announced: the page is written as it is formatted,
        // never built whole first.
        using var response = await Http.GetAsync($"{Api}/jobs/query/{job}/results?maxRecords={count}", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal(count.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("Sforce-NumberOfRecords").Single());
        Assert.Equal("null", response.Headers.GetValues("Sforce-Locator").Single());

        // A slow reader: 1 KiB reads and a pause after every 64 KiB, so the server's buffers fill and it has to wait
        // for the reader many times during the page (about 12 MB). Nothing here is timed.
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        using var received = new MemoryStream();
        var buffer = new byte[1024];
        var sincePause = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, Ct)) > 0)
        {
            received.Write(buffer, 0, read);
            if ((sincePause += read) >= 64 * 1024)
            {
                sincePause = 0;
                await Task.Delay(10, Ct);
            }
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text[..^1].Split('\n');
        Assert.Equal("\"Id\",\"LastName\",\"Company\"", lines[0]);
        Assert.Equal(count + 1, lines.Length);
        var lastNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            // "Id","L000123","Société ""Acme"", Inc": the company's quotes and comma arrive escaped and intact.
            Assert.Matches("^\"[0-9A-Za-z]{18}\",\"L[0-9]{6}\",\"Société \"\"Acme\"\", Inc\"$", line);
            Assert.True(ids.Remove(line[1..19]), line);
            Assert.True(lastNames.Add(line[22..29]), line);
        }

        Assert.Empty(ids);
        Assert.Equal(count, lastNames.Count);
    }

    [Fact]
    public async Task QueryJob_StreamedPages_KeepTheJobsCsvDialectAcrossFlushes()
    {
        // Over 5,000 rows a page is flushed in several parts; the bytes must be those of one CSV document in the
        // job's dialect (CRLF, pipe, every field quoted), with no header or line break repeated or lost at a flush.
        const int count = 12_345;
        for (var i = 0; i < count; i++)
        {
            Org.Data.Insert("Lead", new Dictionary<string, object?>
            {
                ["LastName"] = $"L{i:00000}",
                ["Company"] = i % 3 == 0 ? "Pipe | \"Quote\", Comma" : "Éts Martin",
                ["Description"] = i % 1_000 == 0 ? "line one\nline two" : null,
                ["NumberOfEmployees"] = i % 2 == 0 ? i : null,
            });
        }

        var (_, created) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new
        {
            operation = "query",
            query = "SELECT Id, LastName, Company, Description, NumberOfEmployees FROM Lead ORDER BY LastName",
            lineEnding = "CRLF",
            columnDelimiter = "PIPE",
        });
        var job = created.GetProperty("id").GetString()!;
        await WaitForAsync("query", job);
        var leads = Org.Data.Query("SELECT Id, LastName, Company, Description, NumberOfEmployees FROM Lead ORDER BY LastName");

        static string Quote(object? value) => $"\"{Convert.ToString(value, CultureInfo.InvariantCulture)!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        const string header = "\"Id\"|\"LastName\"|\"Company\"|\"Description\"|\"NumberOfEmployees\"\r\n";
        string Expected(int from, int to) => header + string.Concat(leads.Skip(from).Take(to - from).Select(r =>
            string.Join('|', new[] { "Id", "LastName", "Company", "Description", "NumberOfEmployees" }.Select(f => Quote(r[f]))) + "\r\n"));

        var (first, firstResponse) = await GetCsvAsync($"{Api}/jobs/query/{job}/results?maxRecords=1234");
        using (firstResponse)
        {
            Assert.Equal(Expected(0, 1_234), first);
            var locator = firstResponse.Headers.GetValues("Sforce-Locator").Single();
            var (rest, restResponse) = await GetCsvAsync($"{Api}/jobs/query/{job}/results?maxRecords={count}&locator={locator}");
            using (restResponse)
            {
                Assert.Equal(Expected(1_234, count), rest);
                Assert.Equal((count - 1_234).ToString(CultureInfo.InvariantCulture), restResponse.Headers.GetValues("Sforce-NumberOfRecords").Single());
                Assert.Equal("null", restResponse.Headers.GetValues("Sforce-Locator").Single());
            }
        }

        // A locator at the very end (the one a page ending there would have given): the header line alone.
        var end = Convert.ToBase64String(Encoding.ASCII.GetBytes(count.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');
        var (empty, emptyResponse) = await GetCsvAsync($"{Api}/jobs/query/{job}/results?locator={end}");
        using (emptyResponse)
        {
            Assert.Equal(header, empty);
            Assert.Equal("0", emptyResponse.Headers.GetValues("Sforce-NumberOfRecords").Single());
        }
    }

    [Fact]
    public async Task QueryJob_MalformedQuery_IsRefusedAtCreation()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/jobs/query", new { operation = "query", query = "SELECT Id FROM Lead GROUP BY Id" });
        Assert.Equal(400, status);
        Assert.Equal("MALFORMED_QUERY", ErrorCode(body));
    }
}
