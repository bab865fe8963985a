namespace SfCompanion.Scoring;

/// <summary>A named score range, bounds included (e.g. <c>hot</c>: 75–100).</summary>
public sealed record BandDefinition(string Name, int Min, int Max);
