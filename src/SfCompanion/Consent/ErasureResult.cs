namespace SfCompanion.Consent;

/// <summary>What an erasure removed and kept.</summary>
public sealed record ErasureResult(
    string Subject, long EventsDeleted, bool StateDeleted, int MirrorRecordsDeleted, IReadOnlyList<string> SuppressionHashes,
    IReadOnlyDictionary<string, int>? OtherDataDeleted = null);
