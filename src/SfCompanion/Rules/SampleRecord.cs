namespace SfCompanion.Rules;

/// <summary>A matching record and the criteria that held for it.</summary>
public sealed record SampleRecord(string Id, string? Name, string Reasons);
