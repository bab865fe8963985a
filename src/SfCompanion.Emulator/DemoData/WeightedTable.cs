namespace SfCompanion.Emulator.DemoData;

/// <summary>Draws indexes with probabilities proportional to fixed positive weights (cumulative sums and a binary search, no allocation per draw).</summary>
internal sealed class WeightedTable
{
    private readonly int[] _cumulative;

    public WeightedTable(params ReadOnlySpan<int> weights)
    {
        if (weights.IsEmpty)
        {
            throw new ArgumentException("At least one weight is needed.", nameof(weights));
        }

        _cumulative = new int[weights.Length];
        var total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), "Weights must be positive.");
            }

            total = checked(total + weights[i]);
            _cumulative[i] = total;
        }
    }

    public int Count => _cumulative.Length;

    public static WeightedTable Of<T>(IReadOnlyList<T> items, Func<T, int> weight)
    {
        var weights = new int[items.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = weight(items[i]);
        }

        return new WeightedTable(weights);
    }

    public int Pick(Random random)
    {
        var r = random.Next(_cumulative[^1]);
        var i = Array.BinarySearch(_cumulative, r);

        // An exact hit on a cumulative sum belongs to the next bucket (buckets are [previous sum, sum)).
        return i >= 0 ? i + 1 : ~i;
    }
}
