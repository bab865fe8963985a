namespace SfCompanion.Sync;

/// <summary>A mirrored record: its type, Id and field values as canonical text.</summary>
public sealed record MirrorRecord(string Type, string Id, IReadOnlyDictionary<string, string?> Fields)
{
    public string? this[string field] => Fields.GetValueOrDefault(field);
}
