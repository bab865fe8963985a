namespace SfCompanion.Scoring;

/// <summary>One record's standing in a routine.</summary>
/// <param name="Tag">suspect, prospect or client.</param>
/// <param name="MatchedAt">When it entered the market or last gained the routine's match points from new facts.</param>
/// <param name="MatchScore">Its score at <paramref name="MatchedAt"/>: gains are measured from it.</param>
/// <param name="LastSeen">When it was last assigned or shown to a rep, or put back.</param>
public sealed record RecordState(string Tag, int Score, DateTimeOffset MatchedAt, int MatchScore, DateTimeOffset? LastSeen = null)
{
    /// <summary>In the flow: a suspect that matched since a rep last saw it.</summary>
    public bool InFlow => Tag == ScoringDefaults.Suspect && (LastSeen is not { } seen || MatchedAt > seen);
}
