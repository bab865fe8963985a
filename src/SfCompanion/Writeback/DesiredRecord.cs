namespace SfCompanion.Writeback;

/// <summary>
/// A record to create in Salesforce (follow-up tasks, campaign member statuses). <see cref="Key"/> identifies it
/// locally so enqueuing it again does not make a second one. With <see cref="ExternalIdField"/> it is an upsert on
/// that field (the key is its value): re-sending it after a crash updates the same record. Without one it is a
/// create, and a <c>DUPLICATE_VALUE</c> refusal counts as done (the record already exists).
/// </summary>
public sealed record DesiredRecord(string Object, string Key, IReadOnlyDictionary<string, object?> Fields, string Source, string? Reason = null, string? ExternalIdField = null);
