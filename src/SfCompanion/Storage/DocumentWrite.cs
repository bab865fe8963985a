namespace SfCompanion.Storage;

/// <summary>A document to write. <see cref="ExpectedVersion"/>: <c>null</c> writes unconditionally,
/// <c>0</c> requires that the document does not exist yet, any other value must match the stored version.</summary>
public sealed record DocumentWrite(string Key, string Data, long? ExpectedVersion = null, IReadOnlyList<IndexTerm>? Index = null);

/// <summary>A document to delete; <see cref="ExpectedVersion"/> as for <see cref="DocumentWrite"/> (null: whatever its version).</summary>
public sealed record DocumentDelete(string Key, long? ExpectedVersion = null);
