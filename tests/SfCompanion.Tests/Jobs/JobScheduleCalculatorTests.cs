using SfCompanion.Jobs;

namespace SfCompanion.Tests.Jobs;

public sealed class JobScheduleCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 12, 9, 7, 0, TimeSpan.Zero);

    private static JobSchedule Schedule(string cron, string zone = "UTC", bool paused = false) =>
        new() { Job = "sync", Cron = cron, TimeZone = zone, Paused = paused };

    [Fact]
    public void Validate_accepts_a_quartz_cron_and_an_iana_zone() =>
        Assert.Empty(JobScheduleCalculator.Validate("0 */15 * * * ?", "Europe/Paris", Now));

    [Fact]
    public void Validate_names_each_bad_field_with_its_value()
    {
        var errors = JobScheduleCalculator.Validate("every day", "Mars/Olympus", Now);
        Assert.Contains("every day", errors["cron"][0], StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", errors["timeZone"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_refuses_a_cron_that_never_fires_again() =>
        Assert.Contains("never fires", JobScheduleCalculator.Validate("0 0 0 1 1 ? 2020", "UTC", Now)["cron"][0], StringComparison.Ordinal);

    [Fact]
    public void NextFire_reads_the_cron_in_the_schedule_time_zone()
    {
        // 03:00 in Paris is 02:00 UTC in winter.
        var next = JobScheduleCalculator.NextFire(Schedule("0 0 3 * * ?", "Europe/Paris"), Now);
        Assert.Equal(new DateTimeOffset(2026, 1, 13, 2, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void NextFire_is_null_when_paused() =>
        Assert.Null(JobScheduleCalculator.NextFire(Schedule("0 0 3 * * ?", paused: true), Now));

    [Fact]
    public void Five_missed_fire_times_give_one_catch_up_run()
    {
        var decision = JobScheduleCalculator.DecideCatchUp(Schedule("0 */15 * * * ?"), Now.AddMinutes(-82), Now);
        Assert.True(decision.RunOnce);
        Assert.Equal(5, decision.MissedCount);
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), decision.LastMissedAt);
    }

    [Fact]
    public void No_missed_fire_time_gives_no_catch_up()
    {
        var decision = JobScheduleCalculator.DecideCatchUp(Schedule("0 */15 * * * ?"), new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), Now);
        Assert.False(decision.RunOnce);
        Assert.Equal(0, decision.MissedCount);
    }

    [Fact]
    public void First_start_or_paused_schedule_gives_no_catch_up()
    {
        Assert.False(JobScheduleCalculator.DecideCatchUp(Schedule("0 * * * * ?"), null, Now).RunOnce);
        Assert.False(JobScheduleCalculator.DecideCatchUp(Schedule("0 * * * * ?", paused: true), Now.AddDays(-1), Now).RunOnce);
    }

    [Fact]
    public void A_very_long_outage_still_gives_one_run_for_the_latest_fire_time()
    {
        var decision = JobScheduleCalculator.DecideCatchUp(Schedule("0 * * * * ?"), Now.AddDays(-30), Now);
        Assert.True(decision.RunOnce);
        Assert.Equal(JobScheduleCalculator.MaxCountedMisses, decision.MissedCount);
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 7, 0, TimeSpan.Zero), decision.LastMissedAt);
    }
}
