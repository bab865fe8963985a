using System.ComponentModel.DataAnnotations;
using System.Net;
using SfCompanion.Hosting;

namespace SfCompanion.Tracking;

/// <summary>Click tracking: public URL, what is kept of the clicker's IP, click durability, scanner filtering, writeback and retention.</summary>
public sealed class TrackingOptions : ISectionOptions
{
    public static string SectionName => "Tracking";

    /// <summary>Public base URL recipients reach the redirect endpoint on (scheme and host, optional path), e.g. <c>https://t.acme.fr</c>.</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://localhost:8080";

    /// <summary><c>Truncate</c> (IPv4 /24, IPv6 /48, default), <c>Hash</c> (keyed SHA-256, not reversible) or <c>None</c> (not stored).</summary>
    [AllowedValues("Truncate", "Hash", "None", "truncate", "hash", "none", ErrorMessage = "must be 'Truncate', 'Hash' or 'None'")]
    public string IpStorage { get; set; } = "Truncate";

    /// <summary>Campaign member status set for human clickers; created as a responded status on the campaign when missing.</summary>
    [Required]
    [StringLength(765, MinimumLength = 1)]
    public string ClickedStatus { get; set; } = "Clicked";

    /// <summary>Create a follow-up Task for the record owner, once per member and campaign.</summary>
    public bool CreateFollowUpTasks { get; set; } = true;

    /// <summary>Days after which a follow-up task is due.</summary>
    [Range(0, 365)]
    public int FollowUpDueDays { get; set; } = 1;

    /// <summary>User-agent fragments (case-insensitive) of link scanners and bots.</summary>
    public List<string> ScannerUserAgents { get; set; } = [.. DefaultScannerUserAgents];

    /// <summary>IP ranges (CIDR) of email security scanners; the full address is checked before it is truncated or hashed.</summary>
    public List<string> ScannerIpRanges { get; set; } = [];

    /// <summary>A honeypot hit marks the same recipient's clicks this many seconds either side as automated.</summary>
    [Range(1, 86_400)]
    public int HoneypotWindowSeconds { get; set; } = 300;

    /// <summary>Burst: this many different links clicked by one recipient within <see cref="BurstWindowSeconds"/>.</summary>
    [Range(2, 1000)]
    public int BurstLinks { get; set; } = 3;

    [Range(1, 3600)]
    public int BurstWindowSeconds { get; set; } = 10;

    /// <summary>Clicks this soon after the member was added to the campaign (the send) are a scanner's; 0 disables.</summary>
    [Range(0, 86_400)]
    public int EarlyClickSeconds { get; set; } = 30;

    /// <summary>Clicks younger than this wait for the next aggregation, so a burst or honeypot hit that follows is seen with them.</summary>
    [Range(0, 3600)]
    public int SettleSeconds { get; set; } = 15;

    /// <summary>Raw clicks (with user agent and IP) are removed after this many days; aggregates are kept.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Quartz cron of the aggregation job (seconds first).</summary>
    [Required]
    public string AggregationCron { get; set; } = "0 * * * * ?";

    /// <summary>Request a run of the writeback job after each aggregation that queued values, so clicks reach Salesforce within a minute.</summary>
    public bool WritebackAfterAggregation { get; set; } = true;

    /// <summary>
    /// <c>Journal</c> (default): the redirect writes the click to a local journal file and answers; the journal is fsynced
    /// every <see cref="JournalFsyncMilliseconds"/> and moved to the click log in the background. <c>Fsync</c>: the
    /// redirect answers once the click is durable in the click log.
    /// </summary>
    [AllowedValues("Journal", "Fsync", "journal", "fsync", ErrorMessage =
        "must be 'Journal' (a local journal fsynced every Tracking:JournalFsyncMilliseconds, then the click log) or 'Fsync' (durable in the click log before the answer)")]
    public string ClickDurability { get; set; } = "Journal";

    /// <summary>Folder of the click journal, one per process; empty for <c>click-journal</c> next to the SQLite file (<c>./data/click-journal</c>).</summary>
    public string? JournalDirectory { get; set; }

    /// <summary>
    /// Also move the clicks of other journals in the same parent folder once no process holds them and they were not
    /// written for 10 minutes: the journals of replicas that are gone, on a volume the replicas share.
    /// </summary>
    public bool JournalAdoptSiblings { get; set; }

    /// <summary>How often the journal is fsynced: at most this much of the latest clicks can be lost on a power loss.</summary>
    [Range(10, 60_000)]
    public int JournalFsyncMilliseconds { get; set; } = 1000;

    public static IReadOnlyList<string> DefaultScannerUserAgents { get; } =
    [
        "bot", "crawler", "spider", "preview", "scanner", "python-requests", "curl/", "wget/", "go-http-client", "java/", "okhttp",
        "headlesschrome", "phantomjs", "mimecast", "proofpoint", "barracuda", "safelinks", "microsoft office", "ms-office",
        "symantec", "forcepoint", "trendmicro", "sophos", "fortinet", "zscaler", "cisco", "ironport", "appriver", "libwww-perl",
    ];

    internal bool HashesIp => string.Equals(IpStorage, "Hash", StringComparison.OrdinalIgnoreCase);

    internal bool UsesJournal => string.Equals(ClickDurability, "Journal", StringComparison.OrdinalIgnoreCase);

    internal bool DropsIp => string.Equals(IpStorage, "None", StringComparison.OrdinalIgnoreCase);
}

internal sealed class TrackingOptionsRules : IOptionsRules<TrackingOptions>
{
    public IEnumerable<string> Check(TrackingOptions options)
    {
        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.Query))
        {
            yield return $"Tracking:PublicBaseUrl = '{options.PublicBaseUrl}': must be an absolute http(s) URL without a query, e.g. 'https://t.acme.fr'";
        }

        for (var i = 0; i < options.ScannerIpRanges.Count; i++)
        {
            if (!IPNetwork.TryParse(options.ScannerIpRanges[i], out _))
            {
                yield return $"Tracking:ScannerIpRanges:{i} = '{options.ScannerIpRanges[i]}': must be a CIDR range, e.g. '40.92.0.0/15'";
            }
        }

        var errors = Jobs.JobScheduleCalculator.Validate(options.AggregationCron, "UTC", DateTimeOffset.UnixEpoch);
        foreach (var error in errors.Values.SelectMany(e => e))
        {
            yield return $"Tracking:AggregationCron = '{options.AggregationCron}': {error}";
        }
    }
}
