namespace SfCompanion.Tracking;

/// <summary>Why a click was not counted as human. Flagged clicks are kept with their reason, never deleted.</summary>
public static class ClickReasons
{
    public const string UserAgent = "scanner-user-agent";
    public const string IpRange = "scanner-ip-range";
    public const string Honeypot = "honeypot";
    public const string HoneypotWindow = "honeypot-window";
    public const string Burst = "burst";
    public const string TooEarly = "too-early";
}

/// <summary>A recipient's click as kept in the aggregates (no user agent or IP: those stay in the raw log until trimmed).</summary>
public sealed record RecordedClick
{
    public long Seq { get; init; }

    public required string LinkId { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>What the click says about itself: scanner user agent or IP range, honeypot link; null when nothing.</summary>
    public string? Signal { get; init; }

    /// <summary>Final classification: null = human.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// Multi-signal scanner detection over one recipient's clicks in one campaign. Deterministic: re-running it on the
/// same clicks gives the same result, so a click arriving later (a honeypot hit) can reclassify earlier ones.
/// </summary>
public sealed class ClickClassifier(TrackingOptions options)
{
    private readonly string[] _userAgents = options.ScannerUserAgents.Where(s => s.Length > 0).Select(s => s.ToLowerInvariant()).ToArray();

    /// <summary>The signal a single click carries by itself.</summary>
    public string? SignalOf(ClickEvent click)
    {
        ArgumentNullException.ThrowIfNull(click);
        if (click.Honeypot)
        {
            return ClickReasons.Honeypot;
        }

        if (click.ScannerRange is not null)
        {
            return ClickReasons.IpRange;
        }

        return IsScannerUserAgent(click.UserAgent) ? ClickReasons.UserAgent : null;
    }

    /// <summary>A missing user agent is a script's, not a mail client's or a browser's.</summary>
    public bool IsScannerUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        foreach (var fragment in _userAgents)
        {
            if (userAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Classifies every click (in time order) given when the member was added to the campaign (the send), if known.</summary>
    public IReadOnlyList<RecordedClick> Classify(IReadOnlyList<RecordedClick> clicks, DateTimeOffset? memberSince)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var ordered = clicks.OrderBy(c => c.At).ThenBy(c => c.Seq).ToList();
        var honeypotHits = ordered.Where(c => c.Signal == ClickReasons.Honeypot).Select(c => c.At).ToList();
        var honeypotWindow = TimeSpan.FromSeconds(options.HoneypotWindowSeconds);
        var burstWindow = TimeSpan.FromSeconds(options.BurstWindowSeconds);
        var early = TimeSpan.FromSeconds(options.EarlyClickSeconds);
        var result = new List<RecordedClick>(ordered.Count);
        foreach (var click in ordered)
        {
            var reason = click.Signal;
            if (reason is null && honeypotHits.Exists(h => (h - click.At).Duration() <= honeypotWindow))
            {
                reason = ClickReasons.HoneypotWindow;
            }

            if (reason is null && memberSince is { } since && options.EarlyClickSeconds > 0 && click.At - since < early)
            {
                reason = ClickReasons.TooEarly;
            }

            if (reason is null && InBurst(ordered, click, burstWindow))
            {
                reason = ClickReasons.Burst;
            }

            result.Add(click with { Reason = reason });
        }

        return result;
    }

    /// <summary>Whether some window of <paramref name="window"/> containing the click holds at least BurstLinks different links.</summary>
    private bool InBurst(List<RecordedClick> ordered, RecordedClick click, TimeSpan window)
    {
        foreach (var start in ordered)
        {
            if (start.At > click.At || click.At - start.At > window)
            {
                continue;
            }

            var end = start.At + window;
            var links = ordered.Where(c => c.At >= start.At && c.At <= end && c.Signal != ClickReasons.Honeypot).Select(c => c.LinkId).Distinct(StringComparer.Ordinal).Count();
            if (links >= options.BurstLinks)
            {
                return true;
            }
        }

        return false;
    }
}
