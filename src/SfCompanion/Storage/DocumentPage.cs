namespace SfCompanion.Storage;

/// <summary>One page of a listing; pass <see cref="NextAfterKey"/> back to continue.</summary>
public sealed record DocumentPage(IReadOnlyList<StoredDocument> Items, string? NextAfterKey);
