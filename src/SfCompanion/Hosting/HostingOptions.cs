using System.ComponentModel.DataAnnotations;

namespace SfCompanion.Hosting;

/// <summary>Which parts of SfCompanion this process runs, and how it stops.</summary>
public sealed class HostingOptions : ISectionOptions
{
    public static string SectionName => "Hosting";

    /// <summary><c>all</c> (default, single node), <c>web</c> (redirects, pages, admin API) or <c>worker</c> (scheduler and jobs).</summary>
    [AllowedValues("all", "web", "worker", "All", "Web", "Worker", ErrorMessage = "must be 'all', 'web' or 'worker'")]
    public string Role { get; set; } = "all";

    /// <summary>How long in-flight work may take to drain or persist when the process is asked to stop.</summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Write logs as one JSON object per line (for log collectors) instead of plain text.</summary>
    public bool JsonLogs { get; set; }

    /// <summary>Serves the public endpoints (redirect, consent pages), the admin API and its reference.</summary>
    public bool RunsWeb => !string.Equals(Role, "worker", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the Quartz scheduler and the jobs.</summary>
    public bool RunsWorker => !string.Equals(Role, "web", StringComparison.OrdinalIgnoreCase);
}
