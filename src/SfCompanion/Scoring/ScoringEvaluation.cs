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

    public int Count
    {
        get
        {
            var n = 0;
            foreach (var m in InMarket)
            {
                n += m ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>Live records per tag (out of the market included).</summary>
    public Dictionary<string, int> TagCounts()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = 0; row < Tag.Length; row++)
        {
            if (Table.IsLive(row))
            {
                counts[Tag[row]] = counts.GetValueOrDefault(Tag[row]) + 1;
            }
        }

        return counts;
    }

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

    /// <summary>The <paramref name="count"/> best-scored rows in the market, best first (a heap, not a sort of the whole market).</summary>
    public IReadOnlyList<int> Best(int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var heap = new PriorityQueue<int, (int Score, int NegRow)>();
        for (var row = 0; row < InMarket.Length; row++)
        {
            if (!InMarket[row])
            {
                continue;
            }

            var priority = (Score[row], -row);
            if (heap.Count < count)
            {
                heap.Enqueue(row, priority);
            }
            else if (heap.TryPeek(out _, out var lowest) && priority.CompareTo(lowest) > 0)
            {
                heap.DequeueEnqueue(row, priority);
            }
        }

        var best = new List<int>(heap.Count);
        while (heap.TryDequeue(out var row, out _))
        {
            best.Add(row);
        }

        best.Reverse();
        return best;
    }

    internal static FormulaOptions Options { get; } = new();
}
