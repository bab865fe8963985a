using System.Globalization;

namespace SfCompanion.Rotation;

/// <summary>A pool's working days and hours in its time zone: today's local date, whether it is worked, and working hours between two instants.</summary>
public sealed class WorkingCalendar
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    private WorkingCalendar(HashSet<DayOfWeek> days, TimeOnly start, TimeOnly end, TimeZoneInfo zone)
    {
        Days = days;
        Start = start;
        End = end;
        Zone = zone;
    }

    public IReadOnlySet<DayOfWeek> Days { get; }

    public TimeOnly Start { get; }

    public TimeOnly End { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The pool's calendar, or the problems (each naming its key, the value found and what is expected).</summary>
    public static (WorkingCalendar? Calendar, List<(string Part, string Message)> Problems) From(RotationPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var problems = new List<(string, string)>();
        var days = new HashSet<DayOfWeek>();
        foreach (var day in pool.WorkingDays is { Count: > 0 } list ? list : ["Mon", "Tue", "Wed", "Thu", "Fri"])
        {
            var index = Array.FindIndex(DayNames, d => day is { Length: >= 3 } && day.StartsWith(d, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                problems.Add(("workingDays", $"workingDays: '{day}' is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun."));
            }
            else
            {
                days.Add((DayOfWeek)index);
            }
        }

        var start = Time(pool.DayStart, "dayStart", problems);
        var end = Time(pool.DayEnd, "dayEnd", problems);
        if (start is { } s && end is { } e && e <= s)
        {
            problems.Add(("dayEnd", $"dayEnd = '{pool.DayEnd}' is not after dayStart = '{pool.DayStart}': the working day must end after it starts (e.g. 09:00–18:00)."));
        }

        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(pool.TimeZone) ? "Europe/Paris" : pool.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add(("timeZone", $"timeZone = '{pool.TimeZone}': not a known time zone; use an IANA name such as Europe/Paris."));
        }

        return problems.Count > 0 ? (null, problems) : (new WorkingCalendar(days, start!.Value, end!.Value, zone!), problems);
    }

    private static TimeOnly? Time(string? text, string key, List<(string, string)> problems)
    {
        if (TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        problems.Add((key, $"{key} = '{text}': a time HH:mm (e.g. 09:00)."));
        return null;
    }

    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    public bool IsWorkingDay(DateOnly date) => Days.Contains(date.DayOfWeek);

    /// <summary>Working hours between two instants: the overlap of [from, to] with each working day's hours.</summary>
    public double WorkingHoursBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        var hours = 0d;
        var last = LocalDate(to);
        // Long enough for any SLA; an assignment older than a year has long been recycled or parked.
        var day = LocalDate(from);
        for (var n = 0; day <= last && n < 400; day = day.AddDays(1), n++)
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            var open = ToUtc(day.ToDateTime(Start));
            var close = ToUtc(day.ToDateTime(End));
            var overlapStart = open > from ? open : from;
            var overlapEnd = close < to ? close : to;
            if (overlapEnd > overlapStart)
            {
                hours += (overlapEnd - overlapStart).TotalHours;
            }
        }

        return hours;
    }

    private DateTimeOffset ToUtc(DateTime local)
    {
        // A time skipped by a clock change (none between 01:00 and 23:00 in Europe) moves an hour on.
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone), TimeSpan.Zero);
    }

    public static string DayName(DayOfWeek day) => DayNames[(int)day];
}
