using SfCompanion.Tracking;

namespace SfCompanion.Tests.Tracking;

public sealed class ClickClassifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ClickClassifier Classifier = new(new TrackingOptions());
    private static long _seq;

    private static RecordedClick Click(string link, double seconds, string? signal = null) =>
        new() { Seq = Interlocked.Increment(ref _seq), LinkId = link, At = T0.AddSeconds(seconds), Signal = signal };

    private static ClickEvent Event(string? ua, string? range = null, bool honeypot = false) =>
        new() { LinkId = "AAAAAAAAAA", CampaignId = "701000000000001AAA", UserAgent = ua, ScannerRange = range, Honeypot = honeypot };

    [Fact]
    public void A_single_click_from_a_mail_client_long_after_the_send_is_human()
    {
        var result = Classifier.Classify([Click("a", 3600)], memberSince: T0);
        Assert.Null(Assert.Single(result).Reason);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Barracuda Sentinel)")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0")]
    [InlineData("python-requests/2.31")]
    [InlineData("")]
    [InlineData(null)]
    public void Scanner_user_agents_and_missing_ones_are_flagged(string? ua) =>
        Assert.Equal(ClickReasons.UserAgent, Classifier.SignalOf(Event(ua)));

    [Fact]
    public void A_browser_user_agent_carries_no_signal() =>
        Assert.Null(Classifier.SignalOf(Event("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15")));

    [Fact]
    public void Honeypot_and_scanner_ranges_are_signals_of_their_own()
    {
        Assert.Equal(ClickReasons.Honeypot, Classifier.SignalOf(Event("Mozilla/5.0 Firefox/123.0", honeypot: true)));
        Assert.Equal(ClickReasons.IpRange, Classifier.SignalOf(Event("Mozilla/5.0 Firefox/123.0", range: "40.92.0.0/15")));
    }

    [Fact]
    public void A_honeypot_hit_marks_the_recipients_clicks_around_it_even_earlier_ones()
    {
        var result = Classifier.Classify([Click("a", 100), Click("hp", 160, ClickReasons.Honeypot), Click("b", 3600)], memberSince: T0);
        Assert.Equal([ClickReasons.HoneypotWindow, ClickReasons.Honeypot, null], result.Select(r => r.Reason));
    }

    [Fact]
    public void Many_links_within_seconds_is_a_burst_but_the_same_link_twice_is_not()
    {
        var burst = Classifier.Classify([Click("a", 1000), Click("b", 1002), Click("c", 1004), Click("a", 2000)], memberSince: T0);
        Assert.Equal([ClickReasons.Burst, ClickReasons.Burst, ClickReasons.Burst, null], burst.Select(r => r.Reason));

        var twice = Classifier.Classify([Click("a", 1000), Click("a", 1001), Click("b", 1002)], memberSince: T0);
        Assert.All(twice, r => Assert.Null(r.Reason));
    }

    [Fact]
    public void A_click_seconds_after_the_send_is_too_early_unless_the_send_time_is_unknown()
    {
        Assert.Equal(ClickReasons.TooEarly, Classifier.Classify([Click("a", 5)], memberSince: T0)[0].Reason);
        Assert.Null(Classifier.Classify([Click("a", 5)], memberSince: null)[0].Reason);
    }

    [Fact]
    public void Classification_is_repeatable()
    {
        IReadOnlyList<RecordedClick> clicks = [Click("a", 100), Click("hp", 160, ClickReasons.Honeypot), Click("b", 1000), Click("c", 1001), Click("d", 1002)];
        var once = Classifier.Classify(clicks, T0);
        Assert.Equal(once, Classifier.Classify(once, T0));
    }
}
