using Quartz;

namespace SfCompanion.Jobs;

/// <summary>Missed fire times between the last handled one and now: at most one catch-up run stands for all of them.</summary>
public sealed record CatchUpDecision(bool RunOnce, int MissedCount, DateTimeOffset? LastMissedAt);

/// <summary>Schedule arithmetic without a scheduler: validation, next fire time, catch-up decision. Pure, so tests need no timing.</summary>
public static class JobScheduleCalculator
{
    public const string ExampleCron = "0 */15 * * * ?";
    public const string ExampleTimeZone = "Europe/Paris";

    /// <summary>Missed fire times are counted up to this number (the decision is the same above it).</summary>
    public const int MaxCountedMisses = 10_000;

    /// <summary>Problems per field (<c>cron</c>, <c>timeZone</c>), each naming the value and giving an example; empty when valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(string? cron, string? timeZone, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out zone))
        {
            errors["timeZone"] = [$"timeZone = '{timeZone}': not a known IANA time zone; example: \"{ExampleTimeZone}\" or \"UTC\"."];
        }

        if (string.IsNullOrWhiteSpace(cron))
        {
            errors["cron"] = [$"cron = '{cron}': required; a Quartz cron expression with seconds first, example: \"{ExampleCron}\" (every 15 minutes)."];
        }
        else
        {
            try
            {
                var expression = new CronExpression(cron.Trim());
                if (zone is not null && expression.WithTimeZone(zone).GetNextValidTimeAfter(now) is null)
                {
                    errors["cron"] = [$"cron = '{cron}': never fires again; example: \"{ExampleCron}\" (every 15 minutes)."];
                }
            }
            catch (FormatException ex)
            {
                errors["cron"] = [$"cron = '{cron}': not a valid Quartz cron expression ({ex.Message.TrimEnd('.')}); fields are seconds minutes hours day-of-month month day-of-week [year], example: \"{ExampleCron}\" (every 15 minutes)."];
            }
        }

        return errors;
    }

    public static CronExpression Expression(JobSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new CronExpression(schedule.Cron).WithTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
    }

    /// <summary>The next fire time strictly after <paramref name="after"/>, or null when paused or never again.</summary>
    public static DateTimeOffset? NextFire(JobSchedule schedule, DateTimeOffset after) =>
        schedule.Paused ? null : Expression(schedule).GetNextValidTimeAfter(after);

    /// <summary>
    /// Fire times in (<paramref name="lastHandled"/>, <paramref name="now"/>] were missed (no worker was running then).
    /// However many, one catch-up run covers them. No baseline (first start) or a paused schedule: nothing to catch up.
    /// </summary>
    public static CatchUpDecision DecideCatchUp(JobSchedule schedule, DateTimeOffset? lastHandled, DateTimeOffset now)
    {
        if (schedule.Paused || lastHandled is null || lastHandled >= now)
        {
            return new CatchUpDecision(false, 0, null);
        }

        var expression = Expression(schedule);
        var count = 0;
        DateTimeOffset? last = null;
        for (var t = expression.GetNextValidTimeAfter(lastHandled.Value); t is { } fire && fire <= now && count < MaxCountedMisses; t = expression.GetNextValidTimeAfter(fire))
        {
            count++;
            last = fire;
        }

        if (count == MaxCountedMisses)
        {
            // Too many to walk: the latest missed fire time is the one just before the next.
            last = expression.GetPreviousValidTimeBefore(expression.GetNextValidTimeAfter(now) ?? now) is { } previous && previous <= now ? previous : last;
        }

        return new CatchUpDecision(count > 0, count, last);
    }
}
