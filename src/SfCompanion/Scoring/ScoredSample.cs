namespace SfCompanion.Scoring;

/// <summary>A record with its score, band, tag and the contributions that made the score.</summary>
public sealed record ScoredSample(string Id, int? Score, string? Band, string Tag, string Reasons);
