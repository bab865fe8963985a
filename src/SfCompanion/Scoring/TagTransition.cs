namespace SfCompanion.Scoring;

/// <summary>A change of lifecycle tag, kept in the append-only log <c>scoring-transitions</c>.</summary>
public sealed record TagTransition(string Routine, string Id, string From, string To, DateTimeOffset At, string Cause);
