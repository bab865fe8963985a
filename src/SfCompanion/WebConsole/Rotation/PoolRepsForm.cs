using System.Globalization;
using SfCompanion.Rotation;

namespace SfCompanion.WebConsole.Rotation;

/// <summary>
/// The reps of a pool as posted by its form (<c>Reps.Reps[0].Weight</c>…): rows without a user id are dropped. Reading
/// it names the row, the field and the value that is not a number.
/// </summary>
public sealed class PoolRepsForm
{
    public List<RepForm> Reps { get; set; } = [];

    public static PoolRepsForm From(RotationPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolRepsForm
        {
            Reps = [.. pool.Reps.Select(r => new RepForm
            {
                UserId = r.UserId,
                Weight = r.Weight.ToString(CultureInfo.InvariantCulture),
                DailyCap = r.DailyCap?.ToString(CultureInfo.InvariantCulture),
                OpenCap = r.OpenCap?.ToString(CultureInfo.InvariantCulture),
                OnLeave = r.OnLeave,
            })],
        };
    }

    /// <summary>The reps, or the first value that is not a number (row, field, value, what to write).</summary>
    public (IReadOnlyList<PoolRep>? Reps, string? Error) Read()
    {
        var reps = new List<PoolRep>();
        for (var i = 0; i < Reps.Count; i++)
        {
            var row = Reps[i];
            var user = row.UserId?.Trim();
            if (string.IsNullOrEmpty(user))
            {
                continue;
            }

            if (!double.TryParse(Blank(row.Weight) ?? "1", NumberStyles.Float, CultureInfo.InvariantCulture, out var weight))
            {
                return (null, $"Rep {i + 1} ({user}), weight = '{row.Weight}': write a number such as 1 or 2.5.");
            }

            int? daily = null, open = null;
            if (Blank(row.DailyCap) is { } d)
            {
                if (!int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    return (null, $"Rep {i + 1} ({user}), daily cap = '{row.DailyCap}': write a whole number, or leave it blank for no limit.");
                }

                daily = value;
            }

            if (Blank(row.OpenCap) is { } o)
            {
                if (!int.TryParse(o, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    return (null, $"Rep {i + 1} ({user}), open cap = '{row.OpenCap}': write a whole number, or leave it blank for no limit.");
                }

                open = value;
            }

            reps.Add(new PoolRep { UserId = user, Weight = weight, DailyCap = daily, OpenCap = open, OnLeave = row.OnLeave });
        }

        return (reps, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
