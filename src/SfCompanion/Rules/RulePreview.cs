namespace SfCompanion.Rules;

/// <summary>How many records a draft matches on the whole mirror, what changes against the saved rule, and examples.</summary>
public sealed record RulePreview
{
    public int Records { get; init; }

    public int Matches { get; init; }

    /// <summary>Matches of the saved rule compared with, if any.</summary>
    public int? SavedMatches { get; init; }

    public int Gained { get; init; }

    public int Lost { get; init; }

    public int ExcludedByConsent { get; init; }

    public long RecordErrors { get; init; }

    public IReadOnlyList<BreakdownRow> Breakdown { get; init; } = [];

    /// <summary>Per criterion, in the rule's order: how many matching records it held for (a record counts under each reason it has).</summary>
    public IReadOnlyList<BreakdownRow> ByCriterion { get; init; } = [];

    public IReadOnlyList<SampleRecord> Samples { get; init; } = [];

    public double Milliseconds { get; init; }
}
