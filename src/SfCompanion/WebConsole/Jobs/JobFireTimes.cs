using SfCompanion.Jobs;

namespace SfCompanion.WebConsole.Jobs;

/// <summary>
/// The next fire times of a cron expression in a time zone, computed as the scheduler does
/// (<see cref="JobScheduleCalculator"/>, Quartz's <c>CronExpression</c>), after the same validation as the jobs API.
/// </summary>
public static class JobFireTimes
{
    /// <summary>How many fire times the console shows before a schedule is saved.</summary>
    public const int Count = 5;

    /// <summary>
    /// The next <paramref name="count"/> fire times after <paramref name="after"/>, in the schedule's time zone; or the
    /// problems per field (<c>cron</c>, <c>timeZone</c>) when the schedule is invalid.
    /// </summary>
    public static (IReadOnlyList<DateTimeOffset> Times, IReadOnlyDictionary<string, string[]> Errors) Next(string? cron, string? timeZone, DateTimeOffset after, int count = Count)
    {
        var errors = JobScheduleCalculator.Validate(cron, timeZone, after);
        if (errors.Count > 0)
        {
            return ([], errors);
        }

        var schedule = new JobSchedule { Job = "preview", Cron = cron!.Trim(), TimeZone = timeZone!.Trim() };
        var expression = JobScheduleCalculator.Expression(schedule);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var times = new List<DateTimeOffset>(count);
        for (var t = expression.GetNextValidTimeAfter(after); t is { } fire && times.Count < count; t = expression.GetNextValidTimeAfter(fire))
        {
            times.Add(TimeZoneInfo.ConvertTime(fire, zone));
        }

        return (times, errors);
    }
}
