namespace SfCompanion.Jobs;

/// <summary>What started a run.</summary>
public static class JobTriggers
{
    /// <summary>The job's cron schedule fired.</summary>
    public const string Schedule = "schedule";

    /// <summary>Somebody asked for it (POST /api/jobs/{name}/run).</summary>
    public const string Manual = "manual";

    /// <summary>One run at start for fire times missed while no worker was running.</summary>
    public const string CatchUp = "catch-up";
}
