using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using SfCompanion.Emulator.Api;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Bulk;

/// <summary>Bulk API 2.0 resources: /jobs/ingest and /jobs/query.</summary>
internal static class BulkApi
{
    private static readonly string[] Operations = ["insert", "update", "upsert", "delete", "hardDelete"];

    public static void Map(RouteGroupBuilder v, SalesforceEmulator org)
    {
        v.MapPost("/jobs/ingest", RestApi.Handler(http => CreateIngestAsync(http, org)));
        v.MapGet("/jobs/ingest", (HttpContext http) => List<IngestJob>(http, org));
        v.MapGet("/jobs/ingest/{id}", (HttpContext http, string id) => Info(http, RequireIngest(org, id)));
        v.MapPut("/jobs/ingest/{id}/batches", (HttpContext http, string id) => UploadAsync(http, org, id));
        v.MapMethods("/jobs/ingest/{id}", RestApi.Patch, (HttpContext http, string id) => ChangeIngestStateAsync(http, org, id));
        v.MapDelete("/jobs/ingest/{id}", (string id) => DeleteJob(org, RequireIngest(org, id)));
        v.MapGet("/jobs/ingest/{id}/successfulResults", (HttpContext http, string id) => SuccessfulAsync(http, RequireIngest(org, id)));
        v.MapGet("/jobs/ingest/{id}/failedResults", (HttpContext http, string id) => FailedAsync(http, RequireIngest(org, id)));
        v.MapGet("/jobs/ingest/{id}/unprocessedrecords", (HttpContext http, string id) => UnprocessedAsync(http, RequireIngest(org, id)));

        v.MapPost("/jobs/query", RestApi.Handler(http => CreateQueryAsync(http, org)));
        v.MapGet("/jobs/query", (HttpContext http) => List<QueryJob>(http, org));
        v.MapGet("/jobs/query/{id}", (HttpContext http, string id) => Info(http, RequireQuery(org, id)));
        v.MapMethods("/jobs/query/{id}", RestApi.Patch, (HttpContext http, string id) => AbortQueryAsync(http, org, id));
        v.MapDelete("/jobs/query/{id}", (string id) => DeleteJob(org, RequireQuery(org, id)));
        v.MapGet("/jobs/query/{id}/results", (HttpContext http, string id) => ResultsAsync(http, RequireQuery(org, id)));
    }

    private static SalesforceApiException JobError(string code, string message, int status = 400) => new(code, message, statusCode: status);

    private static IngestJob RequireIngest(SalesforceEmulator org, string id) =>
        org.BulkJobs.Get<IngestJob>(id) ?? throw JobError("NOT_FOUND", "The requested resource does not exist", 404);

    private static QueryJob RequireQuery(SalesforceEmulator org, string id) =>
        org.BulkJobs.Get<QueryJob>(id) ?? throw JobError("NOT_FOUND", "The requested resource does not exist", 404);

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static (string LineEnding, string Delimiter) Dialect(JsonElement root)
    {
        var contentType = OptionalString(root, "contentType") ?? "CSV";
        if (contentType != "CSV")
        {
            throw JobError("INVALIDJOB", $"InvalidJob : Unsupported content type: {contentType}");
        }

        var lineEnding = OptionalString(root, "lineEnding") ?? "LF";
        var delimiter = OptionalString(root, "columnDelimiter") ?? "COMMA";
        if (lineEnding is not ("LF" or "CRLF") || !BulkJob.IsValidDelimiter(delimiter))
        {
            throw JobError("INVALIDJOB", "InvalidJob : Invalid lineEnding or columnDelimiter");
        }

        return (lineEnding, delimiter);
    }

    private static async Task<IResult> CreateIngestAsync(HttpContext http, SalesforceEmulator org)
    {
        using var body = await RestApi.ReadJsonAsync(http);
        var root = body.RootElement;
        var obj = OptionalString(root, "object") ?? throw JobError("INVALIDJOB", "InvalidJob : object is required");
        var operation = OptionalString(root, "operation") ?? throw JobError("INVALIDJOB", "InvalidJob : operation is required");
        if (!Operations.Contains(operation))
        {
            throw JobError("INVALIDJOB", $"InvalidJob : Invalid operation: {operation}");
        }

        var schema = org.Data.GetSchema(obj) ?? throw JobError("INVALIDJOB", $"InvalidJob : Unable to find object: {obj}");
        var externalId = OptionalString(root, "externalIdFieldName");
        if (operation == "upsert")
        {
            RestApi.RequireExternalIdField(schema, externalId ?? throw JobError("INVALIDJOB", "InvalidJob : External ID was blank for upsert"));
        }

        var (lineEnding, delimiter) = Dialect(root);
        var now = org.Options.TimeProvider.GetUtcNow();
        var job = new IngestJob
        {
            Id = org.BulkJobs.NextId(),
            Operation = operation,
            Object = schema.Name,
            ExternalIdFieldName = externalId,
            CreatedById = (string)http.Items[RestApi.UserKey]!,
            CreatedDate = now,
            SystemModstamp = now,
            ApiVersion = RestApi.Version(http),
            LineEnding = lineEnding,
            ColumnDelimiter = delimiter,
        };
        org.BulkJobs.Add(job);
        return Info(http, job);
    }

    private static async Task<IResult> UploadAsync(HttpContext http, SalesforceEmulator org, string id)
    {
        var job = RequireIngest(org, id);
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        lock (job.Sync)
        {
            if (job.State != JobState.Open)
            {
                throw JobError("INVALIDJOBSTATE", "Job is not in Open state; data can only be uploaded to an Open job", 409);
            }

            if (job.Data.Length > 0)
            {
                // A second upload continues the first: its header line is dropped.
                var newline = text.IndexOf('\n', StringComparison.Ordinal);
                text = newline < 0 ? "" : text[(newline + 1)..];
                if (job.Data[^1] != '\n')
                {
                    job.Data.Append(job.NewLine);
                }
            }

            job.Data.Append(text);
        }

        return Microsoft.AspNetCore.Http.Results.Created();
    }

    private static async Task<IResult> ChangeIngestStateAsync(HttpContext http, SalesforceEmulator org, string id)
    {
        var job = RequireIngest(org, id);
        using var body = await RestApi.ReadJsonAsync(http);
        var state = OptionalString(body.RootElement, "state");
        lock (job.Sync)
        {
            switch (state)
            {
                case "UploadComplete" when job.State == JobState.Open:
                    job.State = JobState.UploadComplete;
                    job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
                    _ = Task.Run(() => org.BulkJobs.ProcessIngest(job));
                    break;
                case "Aborted" when job.State is JobState.Open or JobState.UploadComplete or JobState.InProgress:
                    job.State = JobState.Aborted;
                    job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
                    break;
                case "UploadComplete" or "Aborted":
                    throw JobError("INVALIDJOBSTATE", $"Cannot change the state of a job in state {job.State} to {state}", 409);
                default:
                    throw JobError("INVALIDJOBSTATE", $"Invalid state: {state}");
            }

            return Info(http, job);
        }
    }

    private static async Task<IResult> CreateQueryAsync(HttpContext http, SalesforceEmulator org)
    {
        using var body = await RestApi.ReadJsonAsync(http);
        var root = body.RootElement;
        var operation = OptionalString(root, "operation") ?? "query";
        if (operation is not ("query" or "queryAll"))
        {
            throw JobError("INVALIDJOB", $"InvalidJob : Invalid operation: {operation}");
        }

        var soql = OptionalString(root, "query") ?? throw JobError("INVALIDJOB", "InvalidJob : query is required");
        var compiled = org.Queries.Compile(soql);
        if (compiled.IsCount || compiled.Offset > 0)
        {
            throw JobError("INVALIDJOB", "InvalidJob : COUNT() and OFFSET are not supported in Bulk API 2.0 queries");
        }

        var (lineEnding, delimiter) = Dialect(root);
        var now = org.Options.TimeProvider.GetUtcNow();
        var job = new QueryJob
        {
            Id = org.BulkJobs.NextId(),
            Operation = operation,
            Object = compiled.Schema.Name,
            Query = soql,
            Compiled = compiled,
            CreatedById = (string)http.Items[RestApi.UserKey]!,
            CreatedDate = now,
            SystemModstamp = now,
            ApiVersion = RestApi.Version(http),
            LineEnding = lineEnding,
            ColumnDelimiter = delimiter,
            State = JobState.UploadComplete,
        };
        org.BulkJobs.Add(job);
        var info = Info(http, job);
        _ = Task.Run(() => org.BulkJobs.ProcessQuery(job));
        return info;
    }

    private static async Task<IResult> AbortQueryAsync(HttpContext http, SalesforceEmulator org, string id)
    {
        var job = RequireQuery(org, id);
        using var body = await RestApi.ReadJsonAsync(http);
        if (OptionalString(body.RootElement, "state") != "Aborted")
        {
            throw JobError("INVALIDJOBSTATE", "Only Aborted can be set on a query job");
        }

        lock (job.Sync)
        {
            if (job.State is JobState.JobComplete or JobState.Failed or JobState.Aborted)
            {
                throw JobError("INVALIDJOBSTATE", $"Cannot abort a job in state {job.State}", 409);
            }

            job.State = JobState.Aborted;
            return Info(http, job);
        }
    }

    private static IResult DeleteJob(SalesforceEmulator org, BulkJob job)
    {
        lock (job.Sync)
        {
            if (job.State is JobState.Open or JobState.InProgress)
            {
                throw JobError("INVALIDJOBSTATE", $"Cannot delete a job in state {job.State}", 409);
            }
        }

        org.BulkJobs.Remove(job.Id);
        return Microsoft.AspNetCore.Http.Results.NoContent();
    }

    private static IResult List<T>(HttpContext http, SalesforceEmulator org)
        where T : BulkJob => SfJson.Ok(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("done", true);
        w.WriteStartArray("records");
        foreach (var job in org.BulkJobs.All<T>())
        {
            WriteInfo(w, job, summary: true);
        }

        w.WriteEndArray();
        w.WriteNull("nextRecordsUrl");
        w.WriteEndObject();
    });

    private static IResult Info(HttpContext http, BulkJob job)
    {
        lock (job.Sync)
        {
            return SfJson.Ok(w => WriteInfo(w, job, summary: false));
        }
    }

    private static void WriteInfo(Utf8JsonWriter w, BulkJob job, bool summary)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("operation", job.Operation);
        w.WriteString("object", job.Object);
        w.WriteString("createdById", job.CreatedById);
        w.WriteString("createdDate", FieldValues.FormatDateTime(job.CreatedDate));
        w.WriteString("systemModstamp", FieldValues.FormatDateTime(job.SystemModstamp));
        w.WriteString("state", job.State.ToString());
        if (job is IngestJob { ExternalIdFieldName: { } ext })
        {
            w.WriteString("externalIdFieldName", ext);
        }

        w.WriteString("concurrencyMode", "Parallel");
        w.WriteString("contentType", "CSV");
        w.WriteNumber("apiVersion", decimal.Parse(job.ApiVersion, CultureInfo.InvariantCulture));
        w.WriteString("jobType", job is IngestJob ? "V2Ingest" : "V2Query");
        if (job is IngestJob)
        {
            w.WriteString("contentUrl", $"services/data/v{job.ApiVersion}/jobs/ingest/{job.Id}/batches");
        }

        w.WriteString("lineEnding", job.LineEnding);
        w.WriteString("columnDelimiter", job.ColumnDelimiter);
        if (!summary)
        {
            w.WriteNumber("numberRecordsProcessed", job.NumberRecordsProcessed);
            if (job is IngestJob ingest)
            {
                w.WriteNumber("numberRecordsFailed", ingest.NumberRecordsFailed);
            }

            w.WriteNumber("retries", 0);
            w.WriteNumber("totalProcessingTime", job.ProcessingMs);
            if (job is IngestJob)
            {
                w.WriteNumber("apiActiveProcessingTime", job.ProcessingMs);
                w.WriteNumber("apexProcessingTime", 0);
            }
            else
            {
                w.WriteBoolean("isPkChunkingSupported", true);
            }

            if (job.ErrorMessage is not null)
            {
                w.WriteString("errorMessage", job.ErrorMessage);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Rows written between two flushes of the response body.</summary>
    private const int FlushEveryRows = 5_000;

    /// <summary>
    /// Writes CSV in the job's format (header line, then rows) straight to the response body, flushing every
    /// <see cref="FlushEveryRows"/> rows: a results page is never held whole in memory, and a slow reader holds the
    /// writer back instead of a whole page waiting in the server's buffers. Headers must be set before the call.
    /// </summary>
    private static async Task<IResult> CsvAsync(HttpContext http, BulkJob job, string[] header, IEnumerable<string[]> rows)
    {
        var ct = http.RequestAborted;
        http.Response.ContentType = "text/csv; charset=utf-8";
        if (header.Length == 0 || header.All(string.IsNullOrEmpty))
        {
            // A job failed before its CSV was read (an empty upload): no columns, no rows, an empty body.
            return Microsoft.AspNetCore.Http.Results.Empty;
        }

        await using (var csv = CsvWriter.Create(http.Response.Body, job.WriterOptions(), leaveOpen: true))
        {
            await csv.WriteRecordAsync(header, ct);
            var unflushed = 0;
            foreach (var row in rows)
            {
                await csv.WriteRecordAsync(row, ct);
                if (++unflushed == FlushEveryRows)
                {
                    await csv.FlushAsync(ct);
                    unflushed = 0;
                }
            }

            await csv.FlushAsync(ct);
        }

        return Microsoft.AspNetCore.Http.Results.Empty;
    }

    private static void RequireComplete(BulkJob job)
    {
        lock (job.Sync)
        {
            if (job.State is not (JobState.JobComplete or JobState.Failed or JobState.Aborted))
            {
                throw JobError("INVALIDJOBSTATE", $"Job is not complete yet: {job.State}", 409);
            }
        }
    }

    private static Task<IResult> SuccessfulAsync(HttpContext http, IngestJob job)
    {
        RequireComplete(job);
        return CsvAsync(http, job, ["sf__Id", "sf__Created", .. job.Header],
            job.Successful.Select(s => (string[])[s.Id, s.Created ? "true" : "false", .. s.Row]));
    }

    private static Task<IResult> FailedAsync(HttpContext http, IngestJob job)
    {
        RequireComplete(job);
        return CsvAsync(http, job, ["sf__Id", "sf__Error", .. job.Header],
            job.Failed.Select(f => (string[])[f.Id, f.Error, .. f.Row]));
    }

    private static Task<IResult> UnprocessedAsync(HttpContext http, IngestJob job)
    {
        RequireComplete(job);
        return CsvAsync(http, job, job.Header, job.Unprocessed);
    }

    private static Task<IResult> ResultsAsync(HttpContext http, QueryJob job)
    {
        lock (job.Sync)
        {
            if (job.State != JobState.JobComplete)
            {
                throw JobError("INVALIDJOBSTATE", $"Job is not complete yet: {job.State}", 409);
            }
        }

        var offset = 0;
        var locator = http.Request.Query["locator"].ToString();
        if (locator.Length > 0 && (!TryDecodeLocator(locator, out offset) || offset > job.Rows.Count))
        {
            throw JobError("INVALIDLOCATOR", "Invalid locator");
        }

        var maxRecords = int.TryParse(http.Request.Query["maxRecords"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : 100_000;
        var end = (int)Math.Min(job.Rows.Count, (long)offset + maxRecords);
        var columns = job.Compiled!.Columns;
        var rows = job.Rows;
        http.Response.Headers["Sforce-Locator"] = end < rows.Count ? EncodeLocator(end) : "null";
        http.Response.Headers["Sforce-NumberOfRecords"] = (end - offset).ToString(CultureInfo.InvariantCulture);

        // Each row is formatted as it is written: the page exists only as the rows the job already holds.
        return CsvAsync(http, job, [.. columns.Select(c => c.Path)],
            Enumerable.Range(offset, end - offset).Select(i => columns.Select(c => FieldValues.Format(c.Read(rows[i]))).ToArray()));
    }

    private static string EncodeLocator(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static bool TryDecodeLocator(string locator, out int offset)
    {
        offset = 0;
        try
        {
            var padded = locator.PadRight(locator.Length + ((4 - (locator.Length % 4)) % 4), '=');
            return int.TryParse(Encoding.ASCII.GetString(Convert.FromBase64String(padded)), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
