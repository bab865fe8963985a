using SfCompanion.Writeback;

namespace SfCompanion.Consent;

/// <summary>Everything SfCompanion holds about a subject, for an access or portability request.</summary>
public sealed record ConsentExport(
    string Subject,
    DateTimeOffset ExportedAt,
    ConsentState? State,
    IReadOnlyList<ConsentEvent> Events,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string?>> SalesforceCopy,
    OutboxEntry? PendingWriteback,
    bool Suppressed,
    IReadOnlyDictionary<string, object?>? OtherData = null);
