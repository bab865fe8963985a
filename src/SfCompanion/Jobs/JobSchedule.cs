namespace SfCompanion.Jobs;

/// <summary>A job's effective schedule (store kind <c>job-schedule</c>, written only once edited; otherwise the registration's defaults).</summary>
public sealed record JobSchedule
{
    public required string Job { get; init; }

    /// <summary>Quartz cron expression (seconds first), e.g. <c>0 */15 * * * ?</c>.</summary>
    public required string Cron { get; init; }

    /// <summary>IANA time zone the cron is read in, e.g. <c>Europe/Paris</c>.</summary>
    public required string TimeZone { get; init; }

    public bool Paused { get; init; }

    /// <summary>Null while the registration's defaults apply.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}
