namespace SfCompanion.Storage;

/// <summary>A secondary look-up term (e.g. <c>email</c> = <c>anne@example.fr</c>) attached to a document.</summary>
public readonly record struct IndexTerm(string Name, string Value);
