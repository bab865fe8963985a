using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Jobs;

/// <summary>How the worker schedules and guards job runs.</summary>
public sealed class JobsOptions : ISectionOptions
{
    public static string SectionName => "Jobs";

    /// <summary>How often the worker re-reads schedules and queued runs from the store (changes made on other replicas).</summary>
    [Range(1, 3600)]
    public int SchedulePollSeconds { get; set; } = 5;

    /// <summary>A running job holds the lease <c>job:{name}</c> this long; a crashed run frees it after this delay.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often a running job renews its lease; must be well under <see cref="LeaseSeconds"/>.</summary>
    [Range(1, 1800)]
    public int LeaseRenewSeconds { get; set; } = 20;

    /// <summary>Progress is written to the store at most this often while a job runs (and always at the end).</summary>
    [Range(50, 60_000)]
    public int ProgressFlushMilliseconds { get; set; } = 500;

    /// <summary>A run requested through the API and not picked up by a worker within this delay no longer blocks new requests.</summary>
    [Range(10, 86_400)]
    public int QueuedRunTimeoutSeconds { get; set; } = 300;
}

internal sealed class JobsOptionsRules : IOptionsRules<JobsOptions>
{
    public IEnumerable<string> Check(JobsOptions options)
    {
        if (options.LeaseRenewSeconds * 2 > options.LeaseSeconds)
        {
            yield return $"Jobs:LeaseRenewSeconds = '{options.LeaseRenewSeconds}': must be at most half of Jobs:LeaseSeconds ({options.LeaseSeconds}) so a slow renewal does not lose the lease.";
        }
    }
}
