namespace SfCompanion.Emulator.Soql;

/// <summary>SOQL relative date literals (TODAY, LAST_N_DAYS:n, THIS_QUARTER…) as half-open day ranges, in UTC.</summary>
internal static class DateLiterals
{
    private static readonly HashSet<string> WithN = new(StringComparer.OrdinalIgnoreCase)
    {
        "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO", "LAST_N_WEEKS", "NEXT_N_WEEKS", "N_WEEKS_AGO", "LAST_N_MONTHS", "NEXT_N_MONTHS",
        "N_MONTHS_AGO", "LAST_N_QUARTERS", "NEXT_N_QUARTERS", "N_QUARTERS_AGO", "LAST_N_YEARS", "NEXT_N_YEARS", "N_YEARS_AGO",
    };

    private static readonly HashSet<string> WithoutN = new(StringComparer.OrdinalIgnoreCase)
    {
        "YESTERDAY", "TODAY", "TOMORROW", "LAST_WEEK", "THIS_WEEK", "NEXT_WEEK", "LAST_MONTH", "THIS_MONTH", "NEXT_MONTH",
        "LAST_90_DAYS", "NEXT_90_DAYS", "THIS_QUARTER", "LAST_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR",
    };

    public static bool IsKnown(string name) => WithN.Contains(name) || WithoutN.Contains(name);

    public static bool NeedsN(string name) => WithN.Contains(name);

    /// <summary>The range [Start, End) of days the literal stands for.</summary>
    public static (DateOnly Start, DateOnly End) Range(string name, int n, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1);
        var year = new DateOnly(today.Year, 1, 1);
        return name.ToUpperInvariant() switch
        {
            "YESTERDAY" => (today.AddDays(-1), today),
            "TODAY" => (today, today.AddDays(1)),
            "TOMORROW" => (today.AddDays(1), today.AddDays(2)),
            "LAST_WEEK" => (week.AddDays(-7), week),
            "THIS_WEEK" => (week, week.AddDays(7)),
            "NEXT_WEEK" => (week.AddDays(7), week.AddDays(14)),
            "LAST_MONTH" => (month.AddMonths(-1), month),
            "THIS_MONTH" => (month, month.AddMonths(1)),
            "NEXT_MONTH" => (month.AddMonths(1), month.AddMonths(2)),
            "LAST_90_DAYS" => (today.AddDays(-90), today.AddDays(1)),
            "NEXT_90_DAYS" => (today.AddDays(1), today.AddDays(91)),
            "THIS_QUARTER" => (quarter, quarter.AddMonths(3)),
            "LAST_QUARTER" => (quarter.AddMonths(-3), quarter),
            "NEXT_QUARTER" => (quarter.AddMonths(3), quarter.AddMonths(6)),
            "THIS_YEAR" => (year, year.AddYears(1)),
            "LAST_YEAR" => (year.AddYears(-1), year),
            "NEXT_YEAR" => (year.AddYears(1), year.AddYears(2)),
            "LAST_N_DAYS" => (today.AddDays(-n), today.AddDays(1)),
            "NEXT_N_DAYS" => (today.AddDays(1), today.AddDays(n + 1)),
            "N_DAYS_AGO" => (today.AddDays(-n), today.AddDays(-n + 1)),
            "LAST_N_WEEKS" => (week.AddDays(-7 * n), week),
            "NEXT_N_WEEKS" => (week.AddDays(7), week.AddDays(7 * (n + 1))),
            "N_WEEKS_AGO" => (week.AddDays(-7 * n), week.AddDays(-7 * (n - 1))),
            "LAST_N_MONTHS" => (month.AddMonths(-n), month),
            "NEXT_N_MONTHS" => (month.AddMonths(1), month.AddMonths(n + 1)),
            "N_MONTHS_AGO" => (month.AddMonths(-n), month.AddMonths(-n + 1)),
            "LAST_N_QUARTERS" => (quarter.AddMonths(-3 * n), quarter),
            "NEXT_N_QUARTERS" => (quarter.AddMonths(3), quarter.AddMonths(3 * (n + 1))),
            "N_QUARTERS_AGO" => (quarter.AddMonths(-3 * n), quarter.AddMonths(-3 * (n - 1))),
            "LAST_N_YEARS" => (year.AddYears(-n), year),
            "NEXT_N_YEARS" => (year.AddYears(1), year.AddYears(n + 1)),
            "N_YEARS_AGO" => (year.AddYears(-n), year.AddYears(-n + 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown date literal."),
        };
    }
}
