using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SfCompanion.Salesforce;

public sealed partial class SalesforceClient
{
    private const string LockErrorCode = "UNABLE_TO_LOCK_ROW";
    private const string RolledBackErrorCode = "ALL_OR_NONE_OPERATION_ROLLED_BACK";

    public Task<IReadOnlyList<SaveResult>> CreateAsync(IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null || string.IsNullOrEmpty(records[i].Type))
            {
                throw new ArgumentException($"Record {i} has no sObject type; set SObjectRecord.Type.", nameof(records));
            }

            if (records[i].Id is not null)
            {
                throw new ArgumentException($"Record {i} already has an Id; use UpdateAsync.", nameof(records));
            }
        }

        return SaveAsync(records, null, options, SalesforceOperations.CollectionsCreate, _api.CreateCollectionAsync, cancellationToken);
    }

    public Task<IReadOnlyList<SaveResult>> UpdateAsync(IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null || string.IsNullOrEmpty(records[i].Type) || string.IsNullOrEmpty(records[i].Id))
            {
                throw new ArgumentException($"Record {i} needs a Type and an Id to be updated.", nameof(records));
            }
        }

        return SaveAsync(records, null, options, SalesforceOperations.CollectionsUpdate, _api.UpdateCollectionAsync, cancellationToken);
    }

    public Task<IReadOnlyList<SaveResult>> UpsertAsync(string sobjectType, string externalIdField, IReadOnlyList<SObjectRecord> records, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sobjectType);
        ArgumentException.ThrowIfNullOrWhiteSpace(externalIdField);
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null || records[i][externalIdField] is null)
            {
                throw new ArgumentException($"Record {i} has no value for the external id field {externalIdField}.", nameof(records));
            }

            if (records[i].Type is { } type && !string.Equals(type, sobjectType, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Record {i} is a {type}, not a {sobjectType}.", nameof(records));
            }
        }

        return SaveAsync(
            records,
            sobjectType,
            options,
            SalesforceOperations.CollectionsUpsert,
            (version, body, autoAssign, ct) => _api.UpsertCollectionAsync(version, sobjectType, externalIdField, body, autoAssign, ct),
            cancellationToken);
    }

    public async Task<IReadOnlyList<SaveResult>> DeleteAsync(IReadOnlyList<string> ids, CollectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var allOrNone = options?.AllOrNone == true;
        return await ChunkedAsync(
            ids.Count,
            async (pending, ct) =>
            {
                var idList = string.Join(',', pending.Select(i => ids[i]));
                using var response = await SendAsync(
                    () => _api.DeleteCollectionAsync(version, idList, allOrNone ? "true" : "false", ct),
                    SalesforceOperations.CollectionsDelete,
                    ct).ConfigureAwait(false);
                return await ReadSaveResultsAsync(response, pending, ct).ConfigureAwait(false);
            },
            allOrNone,
            SalesforceOperations.CollectionsDelete,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<SaveResult>> SaveAsync(
        IReadOnlyList<SObjectRecord> records,
        string? typeOverride,
        CollectionOptions? options,
        string operation,
        Func<string, HttpContent, string, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var allOrNone = options?.AllOrNone == true;
        var autoAssign = options?.UseAssignmentRules == true ? "TRUE" : "FALSE";
        return await ChunkedAsync(
            records.Count,
            async (pending, ct) =>
            {
                using var body = CollectionBody(records, pending, typeOverride, allOrNone);
                using var response = await SendAsync(() => send(version, body, autoAssign, ct), operation, ct).ConfigureAwait(false);
                return await ReadSaveResultsAsync(response, pending, ct).ConfigureAwait(false);
            },
            allOrNone,
            operation,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends records in chunks and re-sends those refused with <c>UNABLE_TO_LOCK_ROW</c> after a jittered
    /// back-off. Locked records were not saved, so sending them again cannot duplicate a create.
    /// </summary>
    private async Task<IReadOnlyList<SaveResult>> ChunkedAsync(
        int count,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<SaveResult>>> sendChunk,
        bool allOrNone,
        string operation,
        CancellationToken cancellationToken)
    {
        var results = new SaveResult[count];
        var chunkSize = Options.CollectionsChunkSize;
        for (var start = 0; start < count; start += chunkSize)
        {
            IReadOnlyList<int> pending = Enumerable.Range(start, Math.Min(chunkSize, count - start)).ToArray();
            for (var attempt = 0; ; attempt++)
            {
                var chunkResults = await sendChunk(pending, cancellationToken).ConfigureAwait(false);
                foreach (var result in chunkResults)
                {
                    results[result.Index] = result;
                }

                var retry = LockedRecords(chunkResults, allOrNone);
                if (retry.Count == 0 || attempt >= Options.LockRetryAttempts)
                {
                    break;
                }

                var delay = LockRetryDelay(attempt);
                LogLockRetry(_logger, operation, retry.Count, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                pending = retry;
            }
        }

        return results;
    }

    private static List<int> LockedRecords(IReadOnlyList<SaveResult> results, bool allOrNone)
    {
        var failed = results.Where(r => !r.Success).ToList();
        if (!failed.Any(r => r.Errors.Any(e => e.ErrorCode == LockErrorCode)))
        {
            return [];
        }

        if (allOrNone)
        {
            // The whole chunk was rolled back because of the lock; it can only be retried as a whole.
            return failed.All(r => r.Errors.All(e => e.ErrorCode is LockErrorCode or RolledBackErrorCode))
                ? [.. results.Select(r => r.Index)]
                : [];
        }

        return [.. failed.Where(r => r.Errors.Count > 0 && r.Errors.All(e => e.ErrorCode == LockErrorCode)).Select(r => r.Index)];
    }

    private TimeSpan LockRetryDelay(int attempt)
    {
        var baseDelay = Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var jittered = baseDelay * (0.5 + (RandomNumberGenerator.GetInt32(1000) / 1000.0));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, Options.MaxRetryDelay.TotalMilliseconds));
    }

    private static ByteArrayContent CollectionBody(IReadOnlyList<SObjectRecord> records, IReadOnlyList<int> indexes, string? typeOverride, bool allOrNone)
    {
        var buffer = new ArrayBufferWriter<byte>(indexes.Count * 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("allOrNone", allOrNone);
            writer.WriteStartArray("records");
            foreach (var index in indexes)
            {
                var record = records[index];
                if (typeOverride is not null && record.Type is null)
                {
                    var typed = new SObjectRecord(typeOverride, record.Count);
                    foreach (var (name, value) in record.Fields)
                    {
                        typed[name] = value;
                    }

                    record = typed;
                }

                JsonSerializer.Serialize(writer, record, SalesforceJson.Options);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        return content;
    }

    private static async Task<IReadOnlyList<SaveResult>> ReadSaveResultsAsync(HttpResponseMessage response, IReadOnlyList<int> indexes, CancellationToken cancellationToken)
    {
        using var doc = await ReadDocumentAsync(response, cancellationToken).ConfigureAwait(false);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != indexes.Count)
        {
            throw new SalesforceException($"Salesforce returned {(root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 0)} results for {indexes.Count} records.");
        }

        var results = new SaveResult[indexes.Count];
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            var errors = new List<SalesforceError>();
            if (item.TryGetProperty("errors", out var errorArray) && errorArray.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errorArray.EnumerateArray())
                {
                    errors.Add(SalesforceErrorParser.FromObject(error, HttpStatusCode.OK));
                }
            }

            var id = item.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            var success = item.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
            bool? created = item.TryGetProperty("created", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : null;
            results[i] = new SaveResult(indexes[i], id, success, created, errors);
            i++;
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Salesforce {Operation}: {Count} records locked (UNABLE_TO_LOCK_ROW); sending again in {DelayMs} ms")]
    private static partial void LogLockRetry(ILogger logger, string operation, int count, double delayMs);
}
