namespace SfCompanion.Rules;

/// <summary>What one rule's run did (or why it did nothing).</summary>
public sealed record RuleRunResult
{
    public required string Rule { get; init; }

    public int Version { get; init; }

    /// <summary><c>ok</c>, <c>dry-run</c> (computed, nothing written) or <c>failed</c> (nothing written).</summary>
    public required string Status { get; init; }

    public int Records { get; init; }

    public int Matched { get; init; }

    public int Gained { get; init; }

    public int Lost { get; init; }

    public int ExcludedByConsent { get; init; }

    /// <summary>Records whose formulas failed at run time (division by zero…): treated as blank.</summary>
    public long RecordErrors { get; init; }

    /// <summary>Field values queued for Salesforce (only those that differ from what the mirror holds).</summary>
    public int ValuesQueued { get; init; }

    /// <summary>The earliest review date among matching records, if any time window applies.</summary>
    public DateOnly? NextReview { get; init; }

    public double Seconds { get; init; }

    public IReadOnlyList<RuleProblem> Problems { get; init; } = [];
}
