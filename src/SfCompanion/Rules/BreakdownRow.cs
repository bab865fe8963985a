namespace SfCompanion.Rules;

/// <summary>Matches sharing one value of the breakdown formula (blank values are counted under null).</summary>
public sealed record BreakdownRow(string? Value, int Count);
