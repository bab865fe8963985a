using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using Microsoft.Extensions.Logging;

namespace SfCompanion.Salesforce;

public sealed partial class SalesforceClient
{
    private static readonly HashSet<string> TerminalStates = new(StringComparer.Ordinal) { "JobComplete", "Failed", "Aborted" };

    public Task<BulkIngestResult> BulkIngestAsync(string sobjectType, BulkOperation operation, IEnumerable<SObjectRecord> records, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return IngestAsync(sobjectType, operation, BulkCsv.RecordsToRows(records), options, cancellationToken);
    }

    public Task<BulkIngestResult> BulkIngestCsvAsync(string sobjectType, BulkOperation operation, Stream csv, BulkIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        return IngestAsync(sobjectType, operation, BulkCsv.StreamToRows(csv), options, cancellationToken);
    }

    private async Task<BulkIngestResult> IngestAsync(string sobjectType, BulkOperation operation, IEnumerable<string?[]> rows, BulkIngestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sobjectType);
        if (operation == BulkOperation.Upsert && string.IsNullOrWhiteSpace(options?.ExternalIdField))
        {
            throw new ArgumentException("An upsert needs BulkIngestOptions.ExternalIdField.", nameof(options));
        }

        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var limit = Options.BulkMaxUploadBytes;
        var jobIds = new List<string>();
        using var serializer = new BulkCsv.RowSerializer();
        using (var enumerator = rows.GetEnumerator())
        {
            if (!enumerator.MoveNext())
            {
                return new BulkIngestResult([], [], [], []);
            }

            var header = serializer.Serialize(enumerator.Current);
            var more = enumerator.MoveNext();
            while (more)
            {
                // Each upload is staged in a temporary file so memory stays flat for large inputs.
                var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await file.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                    var rowsInJob = 0;
                    while (more)
                    {
                        var line = serializer.Serialize(enumerator.Current);
                        if (file.Length + line.Length > limit)
                        {
                            if (rowsInJob == 0)
                            {
                                throw new ArgumentException($"A single CSV row is larger than BulkMaxUploadBytes ({limit} bytes).", nameof(rows));
                            }

                            break;
                        }

                        await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                        rowsInJob++;
                        more = enumerator.MoveNext();
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Position = 0;
                    jobIds.Add(await CreateAndUploadJobAsync(version, sobjectType, operation, options, file, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        var jobs = new List<BulkJobInfo>();
        var successful = new List<BulkSuccessRow>();
        var failed = new List<BulkFailedRow>();
        var unprocessed = new List<IReadOnlyDictionary<string, string?>>();
        foreach (var jobId in jobIds)
        {
            var job = await WaitForJobAsync(
                ct => _api.GetIngestJobAsync(version, jobId, ct), SalesforceOperations.BulkIngestStatus, jobId, cancellationToken).ConfigureAwait(false);
            jobs.Add(job);
            foreach (var row in await GetIngestResultsAsync(version, jobId, "successfulResults", cancellationToken).ConfigureAwait(false))
            {
                var id = row.GetValueOrDefault("sf__Id") ?? "";
                var created = string.Equals(row.GetValueOrDefault("sf__Created"), "true", StringComparison.OrdinalIgnoreCase);
                successful.Add(new BulkSuccessRow(id, created, WithoutSystemColumns(row)));
            }

            foreach (var row in await GetIngestResultsAsync(version, jobId, "failedResults", cancellationToken).ConfigureAwait(false))
            {
                var id = row.GetValueOrDefault("sf__Id");
                failed.Add(new BulkFailedRow(string.IsNullOrEmpty(id) ? null : id, row.GetValueOrDefault("sf__Error") ?? "", WithoutSystemColumns(row)));
            }

            if (job.State != "JobComplete")
            {
                unprocessed.AddRange(await GetIngestResultsAsync(version, jobId, "unprocessedrecords", cancellationToken).ConfigureAwait(false));
            }
        }

        return new BulkIngestResult(jobs, successful, failed, unprocessed);
    }

    private async Task<string> CreateAndUploadJobAsync(string version, string sobjectType, BulkOperation operation, BulkIngestOptions? options, Stream csv, CancellationToken cancellationToken)
    {
        using var createBody = JsonBody(writer =>
        {
            writer.WriteString("object", sobjectType);
            writer.WriteString("operation", OperationName(operation));
            if (!string.IsNullOrEmpty(options?.ExternalIdField))
            {
                writer.WriteString("externalIdFieldName", options.ExternalIdField);
            }

            if (!string.IsNullOrEmpty(options?.AssignmentRuleId))
            {
                writer.WriteString("assignmentRuleId", options.AssignmentRuleId);
            }

            writer.WriteString("contentType", "CSV");
            writer.WriteString("columnDelimiter", "COMMA");
            writer.WriteString("lineEnding", "LF");
        });
        string jobId;
        using (var created = await SendAsync(() => _api.CreateIngestJobAsync(version, createBody, cancellationToken), SalesforceOperations.BulkIngestCreate, cancellationToken).ConfigureAwait(false))
        {
            jobId = (await ReadJobInfoAsync(created, cancellationToken).ConfigureAwait(false)).Id;
        }

        LogBulkJobCreated(_logger, jobId, sobjectType, OperationName(operation), csv.Length);
        try
        {
            using var upload = new StreamContent(csv);
            upload.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using (await SendAsync(() => _api.UploadIngestDataAsync(version, jobId, upload, cancellationToken), SalesforceOperations.BulkIngestUpload, cancellationToken).ConfigureAwait(false))
            {
            }

            using var close = JsonBody(writer => writer.WriteString("state", "UploadComplete"));
            using (await SendAsync(() => _api.SetIngestJobStateAsync(version, jobId, close, cancellationToken), SalesforceOperations.BulkIngestClose, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception ex) when (ex is SalesforceApiException or HttpRequestException)
        {
            // An open job holds the data upload slot for a day; abort it so the org is left tidy.
            using var abort = JsonBody(writer => writer.WriteString("state", "Aborted"));
            try
            {
                using (await RefitCalls.SendAsync(() => _api.SetIngestJobStateAsync(version, jobId, abort, CancellationToken.None)).ConfigureAwait(false))
                {
                }
            }
            catch (Exception abortError) when (abortError is HttpRequestException or SalesforceException)
            {
                LogAbortFailed(_logger, jobId, abortError.Message);
            }

            throw;
        }

        return jobId;
    }

    public async IAsyncEnumerable<SObjectRecord> BulkQueryAsync(string soql, BulkQueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var job = await StartBulkQueryAsync(soql, options, cancellationToken).ConfigureAwait(false);
        await foreach (var record in ReadBulkQueryAsync(job, options, cancellationToken).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public async Task<BulkQueryJob> StartBulkQueryAsync(string soql, BulkQueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(soql);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var body = JsonBody(writer =>
        {
            writer.WriteString("operation", options?.IncludeDeleted == true ? "queryAll" : "query");
            writer.WriteString("query", soql);
        });
        using var created = await SendAsync(() => _api.CreateQueryJobAsync(version, body, cancellationToken), SalesforceOperations.BulkQueryCreate, cancellationToken).ConfigureAwait(false);
        var job = await ReadJobInfoAsync(created, cancellationToken).ConfigureAwait(false);
        return new BulkQueryJob(job.Id, job.SObjectType, _time.GetUtcNow());
    }

    public async Task AbortBulkQueryAsync(BulkQueryJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        using var abort = JsonBody(writer => writer.WriteString("state", "Aborted"));
        using (await SendAsync(() => _api.SetQueryJobStateAsync(version, job.Id, abort, cancellationToken), SalesforceOperations.BulkQueryStatus, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    public async IAsyncEnumerable<SObjectRecord> ReadBulkQueryAsync(BulkQueryJob job, BulkQueryOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var jobId = job.Id;
        var info = await WaitForJobAsync(ct => _api.GetQueryJobAsync(version, jobId, ct), SalesforceOperations.BulkQueryStatus, jobId, cancellationToken, job.CreatedAt).ConfigureAwait(false);
        if (info.State != "JobComplete")
        {
            throw new SalesforceBulkJobException(jobId, info.State, info.ErrorMessage);
        }

        string? locator = null;
        do
        {
            var currentLocator = locator;
            using var response = await SendAsync(
                () => _api.GetQueryResultsAsync(version, jobId, currentLocator, options?.MaxRecordsPerPage, cancellationToken),
                SalesforceOperations.BulkQueryResults,
                cancellationToken).ConfigureAwait(false);
            locator = response.Headers.TryGetValues("Sforce-Locator", out var values) ? values.FirstOrDefault() : null;
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var csv = CsvReader.Create(stream, BulkCsv.ReaderOptions, leaveOpen: false);
            await using (csv.ConfigureAwait(false))
            {
                var header = csv.Headers;
                while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var record = new SObjectRecord(info.SObjectType, header.Count);
                    for (var i = 0; i < header.Count; i++)
                    {
                        var value = i < csv.FieldCount ? csv.GetString(i) : null;
                        record[header[i]] = string.IsNullOrEmpty(value) ? null : value;
                    }

                    yield return record;
                }
            }
        }
        while (!string.IsNullOrEmpty(locator) && locator != "null");
    }

    /// <summary>
    /// Polls a job until it ends: first <see cref="SalesforceOptions.BulkPollInitialDelay"/> after it was created (at once
    /// for a job created that long ago), then at doubling intervals up to <see cref="SalesforceOptions.BulkPollMaxDelay"/>.
    /// </summary>
    private async Task<BulkJobInfo> WaitForJobAsync(Func<CancellationToken, Task<HttpResponseMessage>> getJob, string operation, string jobId, CancellationToken cancellationToken, DateTimeOffset? createdAt = null)
    {
        var delay = Options.BulkPollInitialDelay;
        TimeSpan? firstWait = createdAt is { } created ? delay - (_time.GetUtcNow() - created) : delay;
        var deadline = _time.GetUtcNow() + Options.BulkJobTimeout;
        while (true)
        {
            var wait = firstWait ?? delay;
            firstWait = null;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            BulkJobInfo job;
            using (var response = await SendAsync(() => getJob(cancellationToken), operation, cancellationToken).ConfigureAwait(false))
            {
                job = await ReadJobInfoAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (TerminalStates.Contains(job.State))
            {
                return job;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new SalesforceBulkJobException(jobId, job.State, $"not finished after {Options.BulkJobTimeout}; it keeps running in Salesforce");
            }

            delay = TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks), Options.BulkPollMaxDelay.Ticks));
        }
    }

    private async Task<List<Dictionary<string, string?>>> GetIngestResultsAsync(string version, string jobId, string kind, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => _api.GetIngestResultsAsync(version, jobId, kind, cancellationToken), SalesforceOperations.BulkIngestResults, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await BulkCsv.ReadRowsAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, string?> WithoutSystemColumns(Dictionary<string, string?> row) =>
        row.Where(kv => !kv.Key.StartsWith("sf__", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);

    private static async Task<BulkJobInfo> ReadJobInfoAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        string? Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long Num(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        return new BulkJobInfo(
            Str("id") ?? throw new SalesforceException("The Bulk job response has no id."),
            Str("state") ?? "Unknown",
            Str("object"),
            Str("operation"),
            Num("numberRecordsProcessed"),
            Num("numberRecordsFailed"),
            Str("errorMessage"));
    }

    private static ByteArrayContent JsonBody(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        return content;
    }

    private static string OperationName(BulkOperation operation) => operation switch
    {
        BulkOperation.Insert => "insert",
        BulkOperation.Update => "update",
        BulkOperation.Upsert => "upsert",
        BulkOperation.Delete => "delete",
        BulkOperation.HardDelete => "hardDelete",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk ingest job {JobId} created: {Operation} {Object}, {Bytes} bytes of CSV")]
    private static partial void LogBulkJobCreated(ILogger logger, string jobId, string @object, string operation, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abort Bulk job {JobId}: {Error}")]
    private static partial void LogAbortFailed(ILogger logger, string jobId, string error);
}
