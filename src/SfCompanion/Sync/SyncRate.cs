using System.Globalization;

namespace SfCompanion.Sync;

/// <summary>
/// Records per second and time left for the object being synced, from the progress the sync reports. The total is
/// the one the sync already knows at no extra call: the <c>SELECT COUNT()</c> an initial load runs anyway to choose
/// between REST and Bulk, or the <c>totalSize</c> of an incremental read's first page.
/// </summary>
public sealed class SyncRate(TimeProvider time)
{
    private readonly Lock _gate = new();
    private string? _object;
    private long _startedAt;

    /// <summary>Records progress and returns the rate and the estimated time left (null while unknown).</summary>
    public (double RecordsPerSecond, TimeSpan? Left) Report(string sobject, long done, long? total)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (!string.Equals(_object, sobject, StringComparison.Ordinal))
            {
                _object = sobject;
                _startedAt = now;
            }

            var seconds = time.GetElapsedTime(_startedAt, now).TotalSeconds;
            var rate = seconds > 0 ? done / seconds : 0;
            TimeSpan? left = total is { } t && rate > 0 && done > 0 ? TimeSpan.FromSeconds(Math.Max(0, t - done) / rate) : null;
            return (rate, left);
        }
    }

    /// <summary>"Lead: 52,300 records/s, 18 s left" (or without the time left while it is unknown).</summary>
    public string Describe(string sobject, long done, long? total)
    {
        var (rate, left) = Report(sobject, done, total);
        var text = string.Create(CultureInfo.InvariantCulture, $"{sobject}: {rate:N0} records/s");
        return left is { } l ? text + ", " + Format(l) + " left" : text;
    }

    public static string Format(TimeSpan span) => span.TotalSeconds < 90
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0} s")
        : span.TotalMinutes < 90
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min");
}
