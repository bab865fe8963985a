namespace SfCompanion.Rules;

/// <summary>One saved version of a definition: who saved it, when, and what it was.</summary>
public sealed record Versioned<T>(string Name, int Version, T Definition, string ChangedBy, DateTimeOffset ChangedAt, bool Deleted = false);
