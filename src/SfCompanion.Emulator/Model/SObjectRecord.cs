namespace SfCompanion.Emulator.Model;

/// <summary>A stored record: field values in schema slots, kept compact so a million leads fit comfortably in memory.</summary>
public sealed class SObjectRecord
{
    internal SObjectRecord(ObjectSchema schema, string id, object?[] values)
    {
        Schema = schema;
        Id = id;
        Values = values;
    }

    public ObjectSchema Schema { get; }

    public string Id { get; }

    internal object?[] Values { get; set; }

    public bool IsDeleted { get; internal set; }

    /// <summary>Hard-deleted or emptied from the recycle bin: invisible even to queryAll.</summary>
    public bool IsPurged { get; internal set; }

    public DateTimeOffset? DeletedDate { get; internal set; }

    public DateTimeOffset SystemModstamp => (DateTimeOffset)Values[ObjectSchema.SystemModstampSlot]!;

    public object? this[string field] => Schema.GetField(field) is { } f ? f.Read(this) : throw new KeyNotFoundException(field);
}
