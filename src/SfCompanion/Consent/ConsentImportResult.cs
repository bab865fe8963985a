namespace SfCompanion.Consent;

/// <summary>What a Salesforce import pass found.</summary>
/// <param name="NotSynced">Opt-out fields (<c>Object.Field</c>) the mirror does not hold, so changes to them in Salesforce cannot be imported.</param>
public sealed record ConsentImportResult(long Examined, long Imported, long Conflicts, long Suppressed, IReadOnlyList<string> NotSynced);
