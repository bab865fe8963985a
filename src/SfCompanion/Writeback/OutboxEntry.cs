namespace SfCompanion.Writeback;

/// <summary>The pending values of one record, plus retry bookkeeping.</summary>
public sealed record OutboxEntry
{
    public required string Object { get; init; }

    public required string Id { get; init; }

    public Dictionary<string, PendingField> Fields { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public int Attempts { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    /// <summary>Update (default, also for entries written before creates existed), upsert or create.</summary>
    public WriteOperation Operation { get; init; }

    /// <summary>The external id field of an upsert.</summary>
    public string? ExternalIdField { get; init; }

    public static string KeyOf(string sobject, string id) => sobject + "/" + id;

    /// <summary>Creates and upserts sort before every update ('+' precedes letters), so a pass sends them first and
    /// updates that need them (a member status that must exist) follow.</summary>
    public static string RecordKeyOf(string sobject, string key) => "+" + sobject + "/" + key;

    public string Key => Operation == WriteOperation.Update ? KeyOf(Object, Id) : RecordKeyOf(Object, Id);
}
