using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SfCompanion.Formulas;

/// <summary>
/// Run-time helpers called by compiled formulas. Blank in, blank out, unless the Salesforce function says otherwise
/// (LEN of blank text is 0, FIND returns 0...). A helper that fails for one record (division by zero, VALUE of
/// non-numeric text, an impossible DATE...) marks the runtime as failed and returns blank; the compiled formula then
/// returns blank for the whole record and counts one error.
/// </summary>
internal static class FormulaFunctions
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static decimal? Fail(FormulaRuntime rt)
    {
        rt.Failed = true;
        return null;
    }

    public static void MarkFailed(FormulaRuntime rt) => rt.Failed = true;

    public static T Settle<T>(FormulaRuntime rt, T value)
    {
        if (!rt.Failed)
        {
            return value;
        }

        rt.Failed = false;
        rt.Errors++;
        return default!;
    }

    // Text

    public static bool IsBlank(string? s) => string.IsNullOrEmpty(s);

    public static bool TextEquals(string? a, string? b) => string.Equals(a ?? string.Empty, b ?? string.Empty, StringComparison.Ordinal);

    public static string Concat(string? a, string? b) => string.Concat(a, b);

    public static decimal? Len(string? s) => s?.Length ?? 0;

    public static string? Lower(string? s) => s?.ToLowerInvariant();

    public static string? Upper(string? s) => s?.ToUpperInvariant();

    public static string? Trim(string? s) => s?.Trim(' ', '\t');

    public static bool Contains(string? text, string? compare) => (text ?? string.Empty).Contains(compare ?? string.Empty, StringComparison.Ordinal);

    public static bool Begins(string? text, string? compare) => (text ?? string.Empty).StartsWith(compare ?? string.Empty, StringComparison.Ordinal);

    private static int Count(decimal? n, int max) => n is not { } v || v <= 0 ? 0 : v >= max ? max : (int)decimal.Truncate(v);

    public static string? Left(string? s, decimal? n) => s is null || n is null ? null : s[..Count(n, s.Length)];

    public static string? Right(string? s, decimal? n) => s is null || n is null ? null : s[(s.Length - Count(n, s.Length))..];

    public static string? Mid(string? s, decimal? start, decimal? n)
    {
        if (s is null || start is null || n is null)
        {
            return null;
        }

        var from = Math.Max(1, Count(start, int.MaxValue)) - 1;
        if (from >= s.Length)
        {
            return string.Empty;
        }

        return s.Substring(from, Count(n, s.Length - from));
    }

    public static decimal? Find(string? search, string? text, decimal? start)
    {
        if (string.IsNullOrEmpty(search) || string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var from = start ?? 1;
        if (from < 1 || from > text.Length)
        {
            return 0;
        }

        return text.IndexOf(search, (int)decimal.Truncate(from) - 1, StringComparison.Ordinal) + 1;
    }

    public static string? Substitute(string? text, string? old, string? replacement) =>
        string.IsNullOrEmpty(text) || string.IsNullOrEmpty(old) ? text : text.Replace(old, replacement ?? string.Empty, StringComparison.Ordinal);

    public static bool Includes(string? values, string? value)
    {
        if (string.IsNullOrEmpty(values) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        foreach (var range in values.AsSpan().Split(';'))
        {
            if (values.AsSpan()[range].Trim().SequenceEqual(value))
            {
                return true;
            }
        }

        return false;
    }

    public static Regex WholeMatch(string pattern) =>
        new($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant | RegexOptions.Compiled, RegexTimeout);

    public static bool RegexMatch(FormulaRuntime rt, Regex regex, string? text)
    {
        try
        {
            return regex.IsMatch(text ?? string.Empty);
        }
        catch (RegexMatchTimeoutException)
        {
            rt.Failed = true;
            return false;
        }
    }

    public static bool RegexMatch(FormulaRuntime rt, RegexCache cache, string? text, string? pattern)
    {
        var regex = cache.Get(pattern ?? string.Empty);
        if (regex is null)
        {
            rt.Failed = true;
            return false;
        }

        return RegexMatch(rt, regex, text);
    }

    /// <summary>Regular expressions built from record values, compiled once per distinct pattern and formula.</summary>
    internal sealed class RegexCache
    {
        private readonly ConcurrentDictionary<string, Regex?> cache = new(StringComparer.Ordinal);

        public Regex? Get(string pattern) => cache.GetOrAdd(pattern, static p =>
        {
            try
            {
                return new Regex($@"\A(?:{p})\z", RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
    }

    // Conversions

    public static string? FormatNumber(decimal? n) =>
        n is { } v ? (v / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture) : null;

    public static string? FormatDate(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string? FormatDateTime(DateTime? d) => d?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static decimal? Value(FormulaRuntime rt, string? s)
    {
        if (string.IsNullOrWhiteSpace(s))
        {
            return null;
        }

        return decimal.TryParse(s.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out var value) ? value : Fail(rt);
    }

    // Numbers

    public static decimal? Divide(FormulaRuntime rt, decimal? a, decimal? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        return y == 0 ? Fail(rt) : x / y;
    }

    public static decimal? Modulo(FormulaRuntime rt, decimal? a, decimal? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        return y == 0 ? Fail(rt) : x % y;
    }

    public static decimal? Power(FormulaRuntime rt, decimal? a, decimal? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        try
        {
            if (y == decimal.Truncate(y) && Math.Abs(y) <= 1000)
            {
                var n = (int)Math.Abs(y);
                var result = 1m;
                var power = x;
                while (n > 0)
                {
                    if ((n & 1) == 1)
                    {
                        result *= power;
                    }

                    n >>= 1;
                    if (n > 0)
                    {
                        power *= power;
                    }
                }

                return y < 0 ? (result == 0 ? Fail(rt) : 1m / result) : result;
            }

            var d = Math.Pow((double)x, (double)y);
            return double.IsFinite(d) ? (decimal)d : Fail(rt);
        }
        catch (OverflowException)
        {
            return Fail(rt);
        }
    }

    public static decimal? Round(FormulaRuntime rt, decimal? n, decimal? digits)
    {
        if (n is not { } x || digits is not { } d)
        {
            return null;
        }

        try
        {
            if (d >= 0)
            {
                return decimal.Round(x, (int)Math.Min(28, decimal.Truncate(d)), MidpointRounding.AwayFromZero);
            }

            if (d < -28)
            {
                return 0m;
            }

            var factor = Power(rt, 10m, -decimal.Truncate(d))!.Value;
            return decimal.Round(x / factor, 0, MidpointRounding.AwayFromZero) * factor;
        }
        catch (OverflowException)
        {
            return Fail(rt);
        }
    }

    public static decimal? Floor(decimal? n) => n is { } x ? decimal.Truncate(x) : null;

    public static decimal? Ceiling(decimal? n) => n is { } x ? (x >= 0 ? decimal.Ceiling(x) : decimal.Floor(x)) : null;

    public static decimal? Abs(decimal? n) => n is { } x ? Math.Abs(x) : null;

    public static decimal? Min(decimal? a, decimal? b) => a is { } x && b is { } y ? Math.Min(x, y) : null;

    public static decimal? Max(decimal? a, decimal? b) => a is { } x && b is { } y ? Math.Max(x, y) : null;

    // Dates

    private static int? WholeNumber(decimal? n) =>
        n is { } v && v >= int.MinValue && v <= int.MaxValue ? (int)decimal.Truncate(v) : null;

    /// <summary>
    /// Moves <paramref name="date"/> by a whole <paramref name="amount"/> with <paramref name="shift"/>: blank if either is
    /// blank; a failure if the amount is not a whole number or the result is out of range.
    /// </summary>
    private static DateOnly? ShiftDate(FormulaRuntime rt, DateOnly? date, decimal? amount, Func<DateOnly, int, DateOnly> shift)
    {
        if (date is not { } d || amount is null)
        {
            return null;
        }

        try
        {
            if (WholeNumber(amount) is not { } n)
            {
                rt.Failed = true;
                return null;
            }

            return shift(d, n);
        }
        catch (ArgumentOutOfRangeException)
        {
            rt.Failed = true;
            return null;
        }
    }

    public static DateOnly? AddDays(FormulaRuntime rt, DateOnly? date, decimal? days) =>
        ShiftDate(rt, date, days, static (d, n) => d.AddDays(n));

    public static DateTime? AddDays(FormulaRuntime rt, DateTime? dateTime, decimal? days)
    {
        if (dateTime is not { } d || days is not { } n)
        {
            return null;
        }

        try
        {
            var milliseconds = decimal.Round(n * 86_400_000m, 0, MidpointRounding.AwayFromZero);
            return d.AddTicks((long)milliseconds * TimeSpan.TicksPerMillisecond);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            rt.Failed = true;
            return null;
        }
    }

    public static decimal? DaysBetween(DateOnly? a, DateOnly? b) => a is { } x && b is { } y ? x.DayNumber - y.DayNumber : null;

    public static decimal? DaysBetween(DateTime? a, DateTime? b) =>
        a is { } x && b is { } y ? (decimal)(x - y).Ticks / TimeSpan.TicksPerDay : null;

    public static DateOnly? MakeDate(FormulaRuntime rt, decimal? year, decimal? month, decimal? day)
    {
        if (year is null || month is null || day is null)
        {
            return null;
        }

        if (WholeNumber(year) is { } y and >= 1 and <= 9999 && WholeNumber(month) is { } m and >= 1 and <= 12
            && WholeNumber(day) is { } d && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        rt.Failed = true;
        return null;
    }

    public static DateOnly? DateValue(DateTime? dateTime) => dateTime is { } d ? DateOnly.FromDateTime(d) : null;

    public static DateOnly? DateValue(FormulaRuntime rt, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (DateTime.TryParseExact(trimmed, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dateTime))
        {
            return DateOnly.FromDateTime(dateTime);
        }

        rt.Failed = true;
        return null;
    }

    public static decimal? Year(DateOnly? d) => d?.Year;

    public static decimal? Month(DateOnly? d) => d?.Month;

    public static decimal? Day(DateOnly? d) => d?.Day;

    public static DateOnly? AddMonths(FormulaRuntime rt, DateOnly? date, decimal? months) =>
        ShiftDate(rt, date, months, static (d, n) =>
        {
            // The last day of a month stays the last day of the month.
            var result = d.AddMonths(n);
            return d.Day == DateTime.DaysInMonth(d.Year, d.Month)
                ? new DateOnly(result.Year, result.Month, DateTime.DaysInMonth(result.Year, result.Month))
                : result;
        });

    public static DateTime? AddMonths(FormulaRuntime rt, DateTime? dateTime, decimal? months)
    {
        if (dateTime is not { } d)
        {
            return null;
        }

        var date = AddMonths(rt, DateOnly.FromDateTime(d), months);
        return date is { } x ? DateTime.SpecifyKind(x.ToDateTime(TimeOnly.FromDateTime(d)), DateTimeKind.Utc) : null;
    }
}
