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
    public void ProcessIngest(IngestJob job) => Process(job, () => Ingest(job), e => $"InvalidBatch : {e.Message}");

    /// <summary>Runs a query job: the matched rows are kept and served in pages of CSV.</summary>
    public void ProcessQuery(QueryJob job) => Process(job, () => Query(job), e => e.Message);

    /// <summary>
    /// Marks the job in progress and runs <paramref name="process"/>; a Salesforce error fails the job with the
    /// message <paramref name="failure"/> makes of it. The processing time is recorded in every case.
    /// </summary>
    private void Process(BulkJob job, Action process, Func<SalesforceApiException, string> failure)
    {
        var started = org.Options.TimeProvider.GetTimestamp();
        try
        {
            lock (job.Sync)
            {
                job.State = JobState.InProgress;
            }

            process();
        }
        catch (SalesforceApiException e)
        {
            Fail(job, failure(e));
        }
        finally
        {
            job.ProcessingMs = (long)org.Options.TimeProvider.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    private void Ingest(IngestJob job)
    {
        var schema = org.Data.RequireSchema(job.Object);
        var rows = ReadRows(job);
        if (rows.Count == 0)
        {
            Fail(job, "InvalidBatch : Empty CSV file");
            return;
        }

        job.Header = rows[0];
        if (org.Faults.NextIngestFailure() is { } injected)
        {
            // Nothing processed: every row is in the unprocessed results.
            job.Unprocessed.AddRange(rows.Skip(1));
            Fail(job, injected);
            return;
        }

        if (ColumnFields(job, schema) is not { } fields)
        {
            return;
        }

        var data = rows.Skip(1).Where(r => r.Length > 1 || (r.Length == 1 && r[0].Length > 0)).ToList();
        if (Plan(job, schema, fields, data) is not { } plan || !WriteRows(job, plan, data))
        {
            return;
        }

        lock (job.Sync)
        {
            job.NumberRecordsProcessed = data.Count;
            job.State = JobState.JobComplete;
            job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
        }
    }

    private static List<string[]> ReadRows(IngestJob job)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.FromText(job.Data.ToString(), job.ReaderOptions());
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The field of each header column; null, with the job failed, when a column names no field of the object.</summary>
    private FieldDefinition[]? ColumnFields(IngestJob job, ObjectSchema schema)
    {
        var fields = new FieldDefinition[job.Header.Length];
        for (var c = 0; c < job.Header.Length; c++)
        {
            var name = job.Header[c].Trim();
            if (name.Contains('.', StringComparison.Ordinal))
            {
                Fail(job, $"InvalidBatch : Relationship columns are not supported by the emulator: {name}");
                return null;
            }

            // A field the integration user cannot see (deleted, permission lost) is unknown to Bulk, as in Salesforce.
            var field = schema.GetField(name);
            if (field is null || org.Data.IsAccessRevoked(schema.Name, field.Name))
            {
                Fail(job, $"InvalidBatch : Field name not found : {name}");
                return null;
            }

            fields[c] = field;
        }

        return fields;
    }

    /// <summary>Finds the Id and external id columns the operation needs; null, with the job failed, when one is missing.</summary>
    private IngestPlan? Plan(IngestJob job, ObjectSchema schema, FieldDefinition[] fields, List<string[]> data)
    {
        var idColumn = Array.FindIndex(fields, f => f.Type == FieldType.Id);
        if (job.Operation == "upsert")
        {
            var externalField = Api.RestApi.RequireExternalIdField(schema, job.ExternalIdFieldName ?? "");
            var externalColumn = Array.IndexOf(fields, externalField);
            if (externalColumn < 0)
            {
                Fail(job, $"InvalidBatch : Field name not found : {externalField.Name}");
                return null;
            }

            var matches = Api.RestApi.MatchExternalIds(org, schema, externalField, data.Select(r => externalColumn < r.Length ? r[externalColumn] : "").Where(v => v.Length > 0));
            return new IngestPlan(schema, fields, idColumn, externalField, externalColumn, matches);
        }

        if (job.Operation is "update" or "delete" or "hardDelete" && idColumn < 0)
        {
            Fail(job, "InvalidBatch : Field name not found : Id");
            return null;
        }

        return new IngestPlan(schema, fields, idColumn, null, -1, null);
    }

    /// <summary>Writes the rows a chunk at a time under the data lock; false when the job was aborted, leaving the rest unprocessed.</summary>
    private bool WriteRows(IngestJob job, IngestPlan plan, List<string[]> data)
    {
        const int Chunk = 5_000;
        for (var start = 0; start < data.Count; start += Chunk)
        {
            if (job.State == JobState.Aborted)
            {
                job.Unprocessed.AddRange(data.Skip(start));
                return false;
            }

            lock (org.Data.SyncRoot)
            {
                foreach (var row in data.Skip(start).Take(Chunk))
                {
                    ProcessRow(job, plan, row);
                }
            }
        }

        return true;
    }

    /// <summary>Writes one row; a refused row is recorded with its error instead.</summary>
    private void ProcessRow(IngestJob job, IngestPlan plan, string[] row)
    {
        var id = plan.IdColumn >= 0 && plan.IdColumn < row.Length ? row[plan.IdColumn] : null;
        SObjectRecord? existing = null;
        try
        {
            var values = RowValues(plan, row);
            var create = job.Operation == "insert";
            if (job.Operation == "upsert")
            {
                existing = plan.Match(row);
                create = existing is null;
                if (existing is not null)
                {
                    values.RemoveAll(v => v.Field == plan.ExternalField);
                }
            }
            else if (!create)
            {
                existing = org.Data.Find(id);
                RequireRecordOf(plan.Schema, existing, id);
            }

            if (existing is not null && org.Faults.IsLocked(existing.Id))
            {
                throw Api.RestApi.LockError(existing.Id);
            }

            job.Successful.Add((Apply(job.Operation, plan, row, existing, create, values).Id, create, row));
        }
        catch (SalesforceApiException e)
        {
            var fieldsText = e.Fields.Count > 0 ? string.Join(", ", e.Fields) : "";
            job.Failed.Add((existing?.Id ?? id ?? "", $"{e.ErrorCode}:{e.Message}:{fieldsText} --", row));
        }
    }

    /// <summary>The row's non-empty cells other than the Id, as field values ("#N/A" clears a field).</summary>
    private static List<FieldValue> RowValues(IngestPlan plan, string[] row)
    {
        var values = new List<FieldValue>(plan.Fields.Length);
        for (var c = 0; c < plan.Fields.Length && c < row.Length; c++)
        {
            if (c == plan.IdColumn || row[c].Length == 0)
            {
                continue;
            }

            values.Add(new FieldValue(plan.Fields[c], row[c] == "#N/A" ? null : FieldValues.FromText(plan.Fields[c], row[c], emptyIsNull: true)));
        }

        return values;
    }

    private static void RequireRecordOf(ObjectSchema schema, SObjectRecord? record, string? id)
    {
        if (record is null || record.Schema != schema)
        {
            throw SalesforceId.Normalize(id) is null
                ? new SalesforceApiException("MALFORMED_ID", $"{schema.Label} ID: id value of incorrect type: {id}", ["Id"])
                : new SalesforceApiException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", ["Id"]);
        }
    }

    /// <summary>Applies the row's write and returns the record written.</summary>
    private SObjectRecord Apply(string operation, IngestPlan plan, string[] row, SObjectRecord? existing, bool create, List<FieldValue> values)
    {
        switch (operation)
        {
            case "delete":
                return org.Data.Commit(OrgData.PrepareDelete(existing!));
            case "hardDelete":
                org.Data.Purge(existing!);
                return existing!;
            default:
                var written = org.Data.Commit(create
                    ? org.Data.PrepareCreate(plan.Schema, values, system: false)
                    : org.Data.PrepareUpdate(existing!, values, system: false));
                if (create && plan.Matches is not null && plan.ExternalField is not null)
                {
                    // A later row with the same external id updates the record this row created.
                    plan.Matches[row[plan.ExternalColumn]].Add(written);
                }

                return written;
        }
    }

    private void Query(QueryJob job)
    {
        job.Rows = org.Queries.Execute(job.Compiled!, includeDeleted: job.Operation == "queryAll");
        lock (job.Sync)
        {
            job.NumberRecordsProcessed = job.Rows.Count;
            job.State = job.State == JobState.Aborted ? JobState.Aborted : JobState.JobComplete;
            job.SystemModstamp = org.Options.TimeProvider.GetUtcNow();
        }
    }

    /// <summary>
    /// How an ingest job's rows become writes: the object, the field of each column, the Id column (-1 when absent),
    /// and for an upsert the external id field, its column and the records matching each of its values.
    /// </summary>
    private sealed record IngestPlan(ObjectSchema Schema, FieldDefinition[] Fields, int IdColumn,
        FieldDefinition? ExternalField, int ExternalColumn, Dictionary<string, List<SObjectRecord>>? Matches)
    {
        /// <summary>The record an upsert row's external id names, or null to create one.</summary>
        public SObjectRecord? Match(string[] row)
        {
            var key = ExternalColumn < row.Length ? row[ExternalColumn] : "";
            return Api.RestApi.SingleExternalIdMatch(ExternalField!, key.Length == 0 ? null : Matches![key]);
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
