namespace SfCompanion.Rotation;

/// <summary>
/// Smooth weighted round robin with persisted credits. At each pick every eligible rep (available, under both caps,
/// not excluded) gains its weight in credit, the rep with the most credit is chosen and loses the eligible weights'
/// sum. Over any run of picks among the same eligible reps, each gets its weight share (within one pick); the credits
/// are carried over between runs and restarts, so a rep who was behind catches up instead of starting from zero. A rep
/// who is capped or unavailable is left out of the pick and their credit frozen: a cap limits, it is not owed later.
/// Pure: no clock, no storage, deterministic (ties go to the rep listed first).
/// </summary>
public sealed class RotationAllocator
{
    private readonly AllocatorRep[] _reps;
    private readonly double[] _credit;
    private readonly int?[] _dailyLeft;
    private readonly int?[] _openLeft;
    private readonly int[] _given;

    public RotationAllocator(IReadOnlyList<AllocatorRep> reps, IReadOnlyDictionary<string, double>? credits = null)
    {
        ArgumentNullException.ThrowIfNull(reps);
        _reps = [.. reps];
        _credit = [.. _reps.Select(r => credits is not null && credits.TryGetValue(r.UserId, out var c) && double.IsFinite(c) ? c : 0)];
        _dailyLeft = [.. _reps.Select(r => r.DailyLeft)];
        _openLeft = [.. _reps.Select(r => r.OpenLeft)];
        _given = new int[_reps.Length];
    }

    public IReadOnlyList<AllocatorRep> Reps => _reps;

    /// <summary>How many picks each rep got from this allocator, in the order of <see cref="Reps"/>.</summary>
    public IReadOnlyList<int> Given => _given;

    /// <summary>The credits to persist (every rep of the pool, eligible or not).</summary>
    public Dictionary<string, double> Credits()
    {
        var credits = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < _reps.Length; i++)
        {
            credits[_reps[i].UserId] = _credit[i];
        }

        return credits;
    }

    public bool CanTake(int rep) =>
        _reps[rep].Available && _reps[rep].Weight > 0 && double.IsFinite(_reps[rep].Weight) && _dailyLeft[rep] is not <= 0 && _openLeft[rep] is not <= 0;

    /// <summary>True when some rep can take a suspect (other than <paramref name="exclude"/>).</summary>
    public bool AnyEligible(string? exclude = null)
    {
        for (var i = 0; i < _reps.Length; i++)
        {
            if (CanTake(i) && !string.Equals(_reps[i].UserId, exclude, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The next rep's user id (their caps counted down), or null when nobody can take one.</summary>
    public string? Next(string? exclude = null)
    {
        var total = 0d;
        var best = -1;
        for (var i = 0; i < _reps.Length; i++)
        {
            if (!CanTake(i) || string.Equals(_reps[i].UserId, exclude, StringComparison.Ordinal))
            {
                continue;
            }

            _credit[i] += _reps[i].Weight;
            total += _reps[i].Weight;
            if (best < 0 || _credit[i] > _credit[best])
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        _credit[best] -= total;
        _given[best]++;
        _dailyLeft[best] -= _dailyLeft[best] is null ? 0 : 1;
        _openLeft[best] -= _openLeft[best] is null ? 0 : 1;
        return _reps[best].UserId;
    }

    /// <summary>A suspect of <paramref name="userId"/> was worked or taken away: one more open slot.</summary>
    public void Release(string userId)
    {
        var i = Array.FindIndex(_reps, r => string.Equals(r.UserId, userId, StringComparison.Ordinal));
        if (i >= 0 && _openLeft[i] is { } left)
        {
            _openLeft[i] = left + 1;
        }
    }
}
