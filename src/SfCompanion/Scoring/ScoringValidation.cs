using System.Globalization;
using System.Text.RegularExpressions;
using SfCompanion.Rules;
using SfCompanion.Salesforce;

namespace SfCompanion.Scoring;

/// <summary>Checks of a routine's shape before its formulas are compiled: names, object, weights, bands, signals, targets.</summary>
public static partial class ScoringValidation
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex RoutineName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex ItemName();

    private static readonly string[] SignalKinds = ["click", "opt-in", "activity", "field"];

    public static List<RuleProblem> Check(RoutineDefinition routine, IReadOnlyDictionary<string, SObjectDescribe> describes)
    {
        ArgumentNullException.ThrowIfNull(routine);
        ArgumentNullException.ThrowIfNull(describes);
        var name = string.IsNullOrWhiteSpace(routine.Name) ? "(unnamed)" : routine.Name;
        var problems = new List<RuleProblem>();
        void Add(string part, string message) => problems.Add(new RuleProblem(name, part, message));
        if (!RoutineName().IsMatch(routine.Name ?? ""))
        {
            Add("name", $"name = '{routine.Name}': lower-case letters, digits and dashes, starting with a letter (e.g. \"software-publishers\").");
        }

        var describe = describes.Values.FirstOrDefault(d => string.Equals(d.Name, routine.Object, StringComparison.OrdinalIgnoreCase));
        if (describe is null || describe.Name is not ("Lead" or "Contact" or "Account"))
        {
            Add("object", $"object = '{routine.Object}': Lead, Contact or Account, synced at least once (fields are known after the first sync).");
        }

        if (routine.Mandatory.Count == 0 && routine.Weighted.Count == 0)
        {
            Add("mandatory", "A routine needs mandatory criteria (its market), weighted criteria (its score), or both.");
        }

        foreach (var item in routine.Mandatory.Select(c => c.Name).Concat(routine.Weighted.Select(c => c.Name)).Concat(routine.Signals.Select(s => s.Name)))
        {
            if (!ItemName().IsMatch(item ?? ""))
            {
                Add("criterion " + item, $"name '{item}': letters, digits, dashes and underscores, starting with a letter.");
            }
        }

        foreach (var dup in routine.Mandatory.Select(c => c.Name).Concat(routine.Weighted.Select(c => c.Name)).Concat(routine.Signals.Select(s => s.Name))
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            Add("criterion " + dup.Key, $"'{dup.Key}' names {dup.Count()} criteria or signals: names must be different (they are the reasons).");
        }

        foreach (var c in routine.Weighted.Where(c => c.Weight < 0 || double.IsNaN(c.Weight) || double.IsInfinity(c.Weight)))
        {
            Add("weighted " + c.Name, $"weight = {c.Weight.ToString(CultureInfo.InvariantCulture)}: a weight is a positive number (e.g. 10).");
        }

        if (routine.Weighted.Count + routine.Signals.Count > 0 && routine.Weighted.Sum(c => c.Weight) + routine.Signals.Sum(s => s.Weight) <= 0)
        {
            Add("weighted", "The weights sum to 0: give at least one weighted criterion or signal a positive weight, or remove them all for a market-only routine.");
        }

        CheckSignals(routine, describe, Add);
        CheckBands(routine.Bands, Add);
        if (describe is not null)
        {
            CheckTarget(describe, routine.Targets.Score, "score", Add, "double", "percent", "int", "currency");
            CheckTarget(describe, routine.Targets.Band, "band", Add, "string", "picklist");
            CheckTarget(describe, routine.Targets.Reasons, "reasons", Add, "string", "textarea");
            CheckTarget(describe, routine.Targets.Tag, "tag", Add, "string", "picklist");
            CheckTarget(describe, routine.Targets.MatchDate, "matchDate", Add, "date");
        }

        return problems;
    }

    private static void CheckSignals(RoutineDefinition routine, SObjectDescribe? describe, Action<string, string> add)
    {
        foreach (var signal in routine.Signals)
        {
            if (!SignalKinds.Contains(signal.Kind))
            {
                add("signal " + signal.Name, $"kind = '{signal.Kind}': one of {string.Join(", ", SignalKinds)}.");
            }
            else if (signal.Kind == "field" && string.IsNullOrWhiteSpace(signal.Field))
            {
                add("signal " + signal.Name, "A 'field' signal names a date or date/time field of the object in 'field'.");
            }

            if (signal.Weight < 0 || signal.HalfLifeDays <= 0)
            {
                add("signal " + signal.Name, "A signal's weight is positive and its halfLifeDays more than 0 (e.g. 30: a 30-day-old click counts half).");
            }

            if (describe is not null && ScoringDefaults.SignalField(signal) is { } field && describe.Field(field) is not { Type: "date" or "datetime" })
            {
                add("signal " + signal.Name, $"The signal reads {describe.Name}.{field}, which is not a date or date/time field in Salesforce. Deploy the SfCompanion fields (connected-app) or name another field.");
            }
        }
    }

    /// <summary>Bands must cover 0–100 exactly once each score.</summary>
    private static void CheckBands(IReadOnlyList<BandDefinition> bands, Action<string, string> add)
    {
        if (bands.Count == 0)
        {
            return;
        }

        var ordered = bands.OrderBy(b => b.Min).ToList();
        var expected = 0;
        foreach (var band in ordered)
        {
            if (band.Max < band.Min)
            {
                add("band " + band.Name, $"band '{band.Name}': min {band.Min} is above max {band.Max}.");
            }
            else if (band.Min > expected)
            {
                add("band " + band.Name, $"Scores {expected}–{band.Min - 1} are in no band: start '{band.Name}' at {expected} or add a band.");
            }
            else if (band.Min < expected)
            {
                add("band " + band.Name, $"band '{band.Name}' ({band.Min}–{band.Max}) overlaps the band before it (which ends at {expected - 1}).");
            }

            expected = Math.Max(expected, band.Max + 1);
        }

        if (expected <= 100)
        {
            add("bands", $"Scores {expected}–100 are in no band: end the last band at 100.");
        }
    }

    private static void CheckTarget(SObjectDescribe describe, string? field, string target, Action<string, string> add, params string[] types)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return;
        }

        if (describe.Field(field) is not { } found)
        {
            add("targets." + target, $"targets.{target} = '{field}': no such field on {describe.Name} in Salesforce. Deploy it (connected-app metadata), name an existing field, or set it to null.");
        }
        else if (!types.Contains(found.Type, StringComparer.OrdinalIgnoreCase))
        {
            add("targets." + target, $"targets.{target} = '{field}': {describe.Name}.{found.Name} is a {found.Type} field; expected {string.Join(" or ", types)}.");
        }
    }
}
