namespace SfCompanion.Storage;

/// <summary>An entry of an append-only log. Sequences start at 1 and increase by one per entry.</summary>
public sealed record LogEntry(long Sequence, DateTimeOffset Timestamp, string Payload);
