using SfCompanion.Rules.Projection;

namespace SfCompanion.Rules;

/// <summary>A rule evaluated over its whole object: which rows match, and each criterion's value per row (the reasons).</summary>
public sealed class RuleEvaluation
{
    public required RuleDefinition Rule { get; init; }

    public required ObjectTable Table { get; init; }

    /// <summary>Per row: the record matches (live, combining formula true, not excluded by consent).</summary>
    public required bool[] Match { get; init; }

    public required IReadOnlyList<(CriterionDefinition Criterion, bool[] Values)> Criteria { get; init; }

    /// <summary>Records whose evaluation failed (division by zero, bad VALUE()…): blank, so not matching.</summary>
    public long Errors { get; init; }

    /// <summary>Records that would match but are opted out of email (see <see cref="RuleDefinition.ExcludeOptedOut"/>).</summary>
    public int ExcludedByConsent { get; init; }

    /// <summary>Whether any formula involved reads TODAY() or NOW() (the match can change with time alone).</summary>
    public bool DependsOnToday { get; init; }

    public int Count => Match.Count(m => m);

    public IEnumerable<int> MatchingRows()
    {
        for (var row = 0; row < Match.Length; row++)
        {
            if (Match[row])
            {
                yield return row;
            }
        }
    }

    /// <summary>The criteria that held for <paramref name="row"/>, in the rule's order, separated by "; ".</summary>
    public string Reasons(int row) => string.Join("; ", Criteria.Where(c => c.Values[row]).Select(c => c.Criterion.Name));
}
