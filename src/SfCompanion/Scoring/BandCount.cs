namespace SfCompanion.Scoring;

/// <summary>Records of one band (bounds included).</summary>
public sealed record BandCount(string Band, int Min, int Max, int Count);
