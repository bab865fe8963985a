using SfCompanion.Rotation;

namespace SfCompanion.Tests.Rotation;

public sealed class WorkingCalendarTests
{
    private static WorkingCalendar Paris() => WorkingCalendar.From(new RotationPool()).Calendar!;

    [Fact]
    public void Only_working_days_and_hours_count_toward_the_SLA()
    {
        var calendar = Paris();
        // Friday 2026-11-27 17:00 in Paris (UTC+1) to Tuesday 2026-12-01 15:00: 1 h Friday, 9 h Monday, 6 h Tuesday.
        var from = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero);

        Assert.Equal(16, calendar.WorkingHoursBetween(from, to), 6);
        Assert.Equal(1, calendar.WorkingHoursBetween(from, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero)), 6);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 11, 29)));
        // 23:30 UTC on Sunday is already Monday in Paris.
        Assert.Equal(new DateOnly(2026, 11, 30), calendar.LocalDate(new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Bad_days_hours_and_zones_name_the_key_and_the_fix()
    {
        var (calendar, problems) = WorkingCalendar.From(new RotationPool { WorkingDays = ["Lundi"], DayStart = "18:00", DayEnd = "09:00", TimeZone = "Paris" });

        Assert.Null(calendar);
        Assert.Contains(problems, p => p.Part == "workingDays" && p.Message.Contains("'Lundi'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Part == "dayEnd");
        Assert.Contains(problems, p => p.Part == "timeZone" && p.Message.Contains("Europe/Paris", StringComparison.Ordinal));
    }
}
