using System.Globalization;
using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;

namespace SfCompanion.Scoring;

/// <summary>A routine computed over its whole object: market, score, band and tag per row, and the reasons on demand.</summary>
public sealed class ScoringEvaluation
{
    public required RoutineDefinition Routine { get; init; }

    public required ObjectTable Table { get; init; }

    public required bool[] InMarket { get; init; }

    /// <summary>Score 0–100 per row; -1 when out of the market or for a market-only routine.</summary>
    public required int[] Score { get; init; }

    /// <summary>Band index per row (into <see cref="Bands"/>); -1 without a score.</summary>
    public required int[] Band { get; init; }

    /// <summary>Tag per row: suspect, prospect, client or out.</summary>
    public required string[] Tag { get; init; }

    public required IReadOnlyList<BandDefinition> Bands { get; init; }

    /// <summary>Each contribution's value 0–1 for a row, in the routine's order (weighted criteria, then signals).</summary>
    public required IReadOnlyList<(string Name, double Weight, Func<int, double> Value)> Contributions { get; init; }

    public required double TotalWeight { get; init; }

    public long Errors { get; init; }

    public int Count => InMarket.Count(m => m);

    public string? BandName(int row) => Band[row] >= 0 ? Bands[Band[row]].Name : null;

    /// <summary>The contributions that gave points to <paramref name="row"/>, with their points out of 100, in order.</summary>
    public string Reasons(int row)
    {
        if (!InMarket[row] || TotalWeight <= 0)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var (name, weight, value) in Contributions)
        {
            var points = weight * value(row) / TotalWeight * 100;
            if (points >= 0.05)
            {
                parts.Add(name + " +" + points.ToString("0.#", CultureInfo.InvariantCulture));
            }
        }

        return string.Join("; ", parts);
    }

    /// <summary>Rows in the market, best score first.</summary>
    public IEnumerable<int> ByScore() => Enumerable.Range(0, InMarket.Length).Where(r => InMarket[r]).OrderByDescending(r => Score[r]);

    internal static FormulaOptions Options { get; } = new();
}
