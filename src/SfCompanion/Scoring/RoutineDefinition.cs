using SfCompanion.Rules;

namespace SfCompanion.Scoring;

/// <summary>
/// A scoring routine: mandatory criteria define a market; weighted criteria and engagement signals give each record
/// in the market a score out of 100, cut into bands; a lifecycle tag (suspect, prospect, client) says where it stands.
/// </summary>
public sealed record RoutineDefinition
{
    /// <summary>Lower-case letters, digits and dashes (e.g. <c>software-publishers</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary><c>Lead</c>, <c>Contact</c> or <c>Account</c>.</summary>
    public string Object { get; init; } = "";

    /// <summary>Boolean formulas that must all hold to be in the market (e.g. NAF codes of software publishers).</summary>
    public IReadOnlyList<CriterionDefinition> Mandatory { get; init; } = [];

    /// <summary>Criteria that add points: a Boolean (all or nothing) or a Number scaled 0–1 (clamped), with a weight.</summary>
    public IReadOnlyList<WeightedCriterion> Weighted { get; init; } = [];

    /// <summary>Engagement signals whose weight decays with age (half-life).</summary>
    public IReadOnlyList<SignalDefinition> Signals { get; init; } = [];

    /// <summary>Bands covering 0–100 without gap or overlap; empty: the default four quarters.</summary>
    public IReadOnlyList<BandDefinition> Bands { get; init; } = [];

    /// <summary>Lifecycle formulas; blank ones take the object's defaults (docs/scoring.md).</summary>
    public RoutineTags Tags { get; init; } = new();

    public RoutineTargets Targets { get; init; } = new();

    /// <summary>Points a record must gain from new facts to match again (its match date moves, it re-enters the flow).</summary>
    public double MatchPoints { get; init; } = 10;

    public bool Enabled { get; init; } = true;

    public bool DryRun { get; init; }

    /// <summary>People opted out of email (<c>HasOptedOutOfEmail</c>) are out of the market (leads and contacts).</summary>
    public bool ExcludeOptedOut { get; init; } = true;

    public string? Description { get; init; }

    /// <summary>A routine with mandatory criteria only: a market list (e.g. for a newsletter), no score.</summary>
    public bool IsMarketOnly => Weighted.Count == 0 && Signals.Count == 0;

    /// <summary>The routine with lists and sections a JSON body left out (or sent as null) empty, as validation expects.</summary>
    public RoutineDefinition WithDefaults() => this with
    {
        Mandatory = Mandatory ?? [],
        Weighted = Weighted ?? [],
        Signals = Signals ?? [],
        Bands = Bands ?? [],
        Tags = Tags ?? new(),
        Targets = Targets ?? new(),
    };
}
