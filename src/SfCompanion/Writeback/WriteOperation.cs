namespace SfCompanion.Writeback;

/// <summary>What the writeback does with an outbox entry.</summary>
public enum WriteOperation
{
    /// <summary>Update an existing record by Id (diffed against the mirror).</summary>
    Update,

    /// <summary>Upsert by <see cref="OutboxEntry.ExternalIdField"/> = <see cref="OutboxEntry.Id"/>.</summary>
    Upsert,

    /// <summary>Create once; <see cref="OutboxEntry.Id"/> is a local key.</summary>
    Create,
}
