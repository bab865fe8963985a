namespace SfCompanion.Storage;

/// <summary>A stored document: an opaque JSON payload under (kind, key) with a version for optimistic concurrency.</summary>
public sealed record StoredDocument(string Kind, string Key, string Data, long Version, DateTimeOffset UpdatedAt);
