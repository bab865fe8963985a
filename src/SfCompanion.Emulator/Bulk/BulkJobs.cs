using System.Globalization;
using System.Text;
using CsvHelper;
using SfCompanion.Emulator.Model;
using SfCompanion.Emulator.Soql;

namespace SfCompanion.Emulator.Bulk;

internal enum JobState
{
    Open,
    UploadComplete,
    InProgress,
    JobComplete,
    Failed,
    Aborted,
}

/// <summary>What ingest and query jobs share: identity, state and CSV dialect.</summary>
internal abstract class BulkJob
{
    public required string Id { get; init; }

    public required string Operation { get; init; }

    public required string Object { get; init; }

    public required string CreatedById { get; init; }

    public required DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset SystemModstamp { get; set; }

    public JobState State { get; set; }

    public required string ApiVersion { get; init; }

    public string LineEnding { get; init; } = "LF";

    public string ColumnDelimiter { get; init; } = "COMMA";

    public string? ErrorMessage { get; set; }

    public int NumberRecordsProcessed { get; set; }

    public long ProcessingMs { get; set; }

    public Lock Sync { get; } = new();

    public string NewLine => LineEnding == "CRLF" ? "\r\n" : "\n";

    public char Delimiter => ColumnDelimiter switch
    {
        "TAB" => '\t',
        "PIPE" => '|',
        "SEMICOLON" => ';',
        "CARET" => '^',
        "BACKQUOTE" => '`',
        _ => ',',
    };

    public static bool IsValidDelimiter(string name) => name is "COMMA" or "TAB" or "PIPE" or "SEMICOLON" or "CARET" or "BACKQUOTE";

    public CsvReaderOptions ReaderOptions() => new() { Separator = Delimiter, HasHeader = false, SkipEmptyLines = true };

    // Salesforce quotes every field of the CSV it writes.
    public CsvWriterOptions WriterOptions() => new() { Separator = Delimiter, NewLine = NewLine, Quoting = CsvQuoting.Always, Injection = CsvInjection.None };
}

internal sealed class IngestJob : BulkJob
{
    public string? ExternalIdFieldName { get; init; }

    public StringBuilder Data { get; } = new();

    public string[] Header { get; set; } = [];

    public List<(string Id, bool Created, string[] Row)> Successful { get; } = [];

    public List<(string Id, string Error, string[] Row)> Failed { get; } = [];

    public List<string[]> Unprocessed { get; } = [];

    public int NumberRecordsFailed => Failed.Count;
}

internal sealed class QueryJob : BulkJob
{
    public required string Query { get; init; }

    public CompiledQuery? Compiled { get; set; }

    public List<SObjectRecord> Rows { get; set; } = [];
}

/// <summary>Bulk API 2.0 jobs of one org, and the processing that runs once a job's data is complete.</summary>
internal sealed class BulkJobStore(SalesforceEmulator org)
{
    private readonly Dictionary<string, BulkJob> _jobs = new(StringComparer.Ordinal);
    private long _next = 1;

    public int IngestJobCount { get; private set; }

    public int QueryJobCount { get; private set; }

    public string NextId()
    {
        lock (_jobs)
        {
            return SalesforceId.Create("750", 500_000 + _next++);
        }
    }

    public void Add(BulkJob job)
    {
        lock (_jobs)
        {
            _jobs.Add(job.Id, job);
            if (job is IngestJob)
            {
                IngestJobCount++;
            }
            else
            {
                QueryJobCount++;
            }
        }
    }

    public T? Get<T>(string id)
        where T : BulkJob
    {
        var normalized = SalesforceId.Normalize(id) ?? id;
        lock (_jobs)
        {
            return _jobs.GetValueOrDefault(normalized) as T;
        }
    }

    public List<T> All<T>()
        where T : BulkJob
    {
        lock (_jobs)
        {
            return [.. _jobs.Values.OfType<T>()];
        }
    }

    public void Remove(string id)
    {
        lock (_jobs)
        {
            _jobs.Remove(id);
        }
    }

    /// <summary>Runs an ingest job: every CSV row becomes one write, in chunks so API calls can interleave.</summary>
    public void ProcessIngest(IngestJob job)
    {
        var started = org.Options.TimeProvider.GetTimestamp();
        try
        {
            lock (job.Sync)
            {
                job.State = JobState.InProgress;
            }

            var schema = org.Data.RequireSchema(job.Object);
            var rows = new List<string[]>();
            using (var reader = CsvReader.FromText(job.Data.ToString(), job.ReaderOptions()))
            {
                while (reader.Read())
                {
                    var row = new string[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.GetString(i);
                    }

                    rows.Add(row);
                }
            }

            if (rows.Count == 0)
            {
                Fail(job, "InvalidBatch : Empty CSV file");
                return;
            }

            job.Header = rows[0];
            var fields = new FieldDefinition[job.Header.Length];
            for (var c = 0; c < job.Header.Length; c++)
            {
                var name = job.Header[c].Trim();
                if (name.Contains('.', StringComparison.Ordinal))
                {
                    Fail(job, $"InvalidBatch : Relationship columns are not supported by the emulator: {name}");
                    return;
                }

                var field = schema.GetField(name);
                if (field is null)
                {
                    Fail(job, $"InvalidBatch : Field name not found : {name}");
                    return;
                }

                fields[c] = field;
            }

            var data = rows.Skip(1).Where(r => r.Length > 1 || (r.Length == 1 && r[0].Length > 0)).ToList();
            var idColumn = Array.FindIndex(fields, f => f.Type == FieldType.Id);
            FieldDefinition? externalField = null;
            Dictionary<string, List<SObjectRecord>>? matches = null;
            var externalColumn = -1;
            if (job.Operation == "upsert")
            {
                externalField = Api.RestApi.RequireExternalIdField(schema, job.ExternalIdFieldName ?? "");
                externalColumn = Array.IndexOf(fields, externalField);
                if (externalColumn < 0)
                {
                    Fail(job, $"InvalidBatch : Field name not found : {externalField.Name}");
                    return;
                }

                matches = Api.RestApi.MatchExternalIds(org, schema, externalField, data.Select(r => externalColumn < r.Length ? r[externalColumn] : "").Where(v => v.Length > 0));
            }
            else if (job.Operation is "update" or "delete" or "hardDelete" && idColumn < 0)
            {
                Fail(job, "InvalidBatch : Field name not found : Id");
                return;
            }

            const int Chunk = 5_000;
            for (var start = 0; start < data.Count; start += Chunk)
            {
                if (job.State == JobState.Aborted)
                {
                    job.Unprocessed.AddRange(data.Skip(start));
                    return;
                }

                lock (org.Data.SyncRoot)
                {
                    foreach (var row in data.Skip(start).Take(Chunk))
                    {
                        ProcessRow(job, schema, fields, row, idColumn, externalField, externalColumn, matches);
                    }
                }
            }

            lock (job.Sync)
            {
                job.NumberRecordsProcessed = data.Count;
                job.State = JobState.JobComplete;
                job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
            }
        }
        catch (SalesforceApiException e)
        {
            Fail(job, $"InvalidBatch : {e.Message}");
        }
        finally
        {
            job.ProcessingMs = (long)org.Options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    private void ProcessRow(IngestJob job, ObjectSchema schema, FieldDefinition[] fields, string[] row, int idColumn,
        FieldDefinition? externalField, int externalColumn, Dictionary<string, List<SObjectRecord>>? matches)
    {
        var id = idColumn >= 0 && idColumn < row.Length ? row[idColumn] : null;
        SObjectRecord? existing = null;
        try
        {
            var values = new List<FieldValue>(fields.Length);
            for (var c = 0; c < fields.Length && c < row.Length; c++)
            {
                if (c == idColumn || row[c].Length == 0)
                {
                    continue;
                }

                values.Add(new FieldValue(fields[c], row[c] == "#N/A" ? null : FieldValues.FromText(fields[c], row[c], emptyIsNull: true)));
            }

            var create = job.Operation == "insert";
            if (job.Operation == "upsert")
            {
                var key = externalColumn < row.Length ? row[externalColumn] : "";
                var found = key.Length == 0 ? null : matches![key];
                if (found is null)
                {
                    throw new SalesforceApiException("REQUIRED_FIELD_MISSING", $"Required fields are missing: [{externalField!.Name}]", [externalField.Name]);
                }

                if (found.Count > 1)
                {
                    throw new SalesforceApiException("DUPLICATE_EXTERNAL_ID",
                        $"{externalField!.Label}: more than one record found for external id field: [{string.Join(", ", found.Select(f => f.Id))}]", [externalField.Name]);
                }

                existing = found.Count == 1 ? found[0] : null;
                create = existing is null;
                if (existing is not null)
                {
                    values.RemoveAll(v => v.Field == externalField);
                }
            }
            else if (!create)
            {
                existing = org.Data.Find(id);
                if (existing is null || existing.Schema != schema)
                {
                    throw SalesforceId.Normalize(id) is null
                        ? new SalesforceApiException("MALFORMED_ID", $"{schema.Label} ID: id value of incorrect type: {id}", ["Id"])
                        : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["Id"]);
                }
            }

            if (existing is not null && org.Faults.IsLocked(existing.Id))
            {
                throw Api.RestApi.LockError(existing.Id);
            }

            SObjectRecord written;
            switch (job.Operation)
            {
                case "delete":
                    written = org.Data.Commit(OrgData.PrepareDelete(existing!));
                    break;
                case "hardDelete":
                    org.Data.Purge(existing!);
                    written = existing!;
                    break;
                default:
                    written = org.Data.Commit(create
                        ? org.Data.PrepareCreate(schema, values, system: false)
                        : org.Data.PrepareUpdate(existing!, values, system: false));
                    if (create && matches is not null && externalField is not null)
                    {
                        // A later row with the same external id updates the record this row created.
                        matches[row[externalColumn]].Add(written);
                    }

                    break;
            }

            job.Successful.Add((written.Id, create, row));
        }
        catch (SalesforceApiException e)
        {
            var fieldsText = e.Fields.Count > 0 ? string.Join(", ", e.Fields) : "";
            job.Failed.Add((existing?.Id ?? id ?? "", $"{e.ErrorCode}:{e.Message}:{fieldsText} --", row));
        }
    }

    /// <summary>Runs a query job: the matched rows are kept and served in pages of CSV.</summary>
    public void ProcessQuery(QueryJob job)
    {
        var started = org.Options.TimeProvider.GetTimestamp();
        try
        {
            lock (job.Sync)
            {
                job.State = JobState.InProgress;
            }

            job.Rows = org.Queries.Execute(job.Compiled!, includeDeleted: job.Operation == "queryAll");
            lock (job.Sync)
            {
                job.NumberRecordsProcessed = job.Rows.Count;
                job.State = job.State == JobState.Aborted ? JobState.Aborted : JobState.JobComplete;
                job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
            }
        }
        catch (SalesforceApiException e)
        {
            Fail(job, e.Message);
        }
        finally
        {
            job.ProcessingMs = (long)org.Options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    private void Fail(BulkJob job, string message)
    {
        lock (job.Sync)
        {
            job.State = JobState.Failed;
            job.ErrorMessage = message;
            job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
        }
    }
}
