namespace SfCompanion.Rules;

/// <summary>What a rule's last run found: since when each matching record has matched (kind <c>rule-state</c>).</summary>
public sealed record RuleState
{
    public Dictionary<string, DateOnly> Since { get; init; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LastRunAt { get; init; }

    public RuleRunResult? LastRun { get; init; }
}
