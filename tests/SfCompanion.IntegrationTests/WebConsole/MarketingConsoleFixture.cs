using System.Net;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// An emulated org with demo data (1,000 leads, their campaigns and members), synced, and the service on a real port;
/// two tracked links on the campaign with the most members, clicked through the redirect by people and by scanners,
/// then aggregated. Clicks count as soon as they happen (Tracking:SettleSeconds = 0) and the early-click rule is off.
/// </summary>
public sealed class MarketingConsoleFixture : IAsyncLifetime
{
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const string ScannerAgent = "Mozilla/5.0 (compatible; LinkScanner/2.1; +https://scanner.example.net)";

    public SfcTestHost Host { get; private set; } = null!;

    public string CampaignId { get; private set; } = "";

    public TrackedLink WhitePaper { get; private set; } = null!;

    public TrackedLink Pricing { get; private set; } = null!;

    public TrackedLink Honeypot { get; private set; } = null!;

    /// <summary>Human clicks made, per person: how many.</summary>
    public Dictionary<string, int> HumanClicks { get; } = new(StringComparer.Ordinal);

    /// <summary>People whose every click is a scanner's.</summary>
    public List<string> ScannedOnly { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        Host = await new SfcTestHost().WithKestrel().WithEmulator(o => o.DemoLeads = 1000)
            .With("Tracking:SettleSeconds", "0")
            .With("Tracking:EarlyClickSeconds", "0")
            .With("Salesforce:BulkPollInitialDelay", "00:00:00.020")
            .With("Salesforce:BulkPollMaxDelay", "00:00:00.100")
            .StartAsync();
        await Host.Get<SyncService>().SyncAllAsync(cancellationToken: ct);

        var (campaignId, people) = await BiggestCampaignAsync(Host.Get<Mirror>(), ct);
        CampaignId = campaignId;
        var links = Host.Get<TrackedLinks>();
        (WhitePaper, Honeypot) = await links.RegisterAsync(campaignId, "Livre blanc", "https://www.exemple.fr/livre-blanc", null, ct);
        (Pricing, _) = await links.RegisterAsync(campaignId, "Tarifs", "https://www.exemple.fr/tarifs", null, ct);

        // People 0-4 click like people (2 and 3 open both links); 5 is fetched by a scanner announcing itself; 6 is behind
        // a scanner that opens every link, the hidden one included; then someone forwards the email without the token.
        for (var i = 0; i < 7; i++)
        {
            var (clicked, agent) = i switch
            {
                2 or 3 => (new[] { WhitePaper, Pricing }, Browser),
                < 5 => (new[] { WhitePaper }, Browser),
                5 => (new[] { WhitePaper }, ScannerAgent),
                _ => (new[] { WhitePaper, Pricing, Honeypot }, Browser),
            };
            foreach (var link in clicked)
            {
                await ClickAsync(link, people[i], agent, ct);
            }

            if (i < 5)
            {
                HumanClicks[people[i]] = clicked.Length;
            }
            else
            {
                ScannedOnly.Add(people[i]);
            }
        }

        await ClickAsync(WhitePaper, null, Browser, ct);
        await Host.Get<ClickAggregator>().RunAsync(cancellationToken: ct);
    }

    private async Task ClickAsync(TrackedLink link, string? person, string agent, CancellationToken ct)
    {
        var path = "/r/" + link.Id + (person is null ? "" : "?t=" + Host.Get<RecipientTokens>().Issue(person));
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.UserAgent.ParseAdd(agent);
        using var response = await Host.Anonymous.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    /// <summary>The campaign with the most lead or contact members in the mirror, and those members.</summary>
    private static async Task<(string CampaignId, List<string> People)> BiggestCampaignAsync(Mirror mirror, CancellationToken ct)
    {
        var byCampaign = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var member in mirror.ListAsync("CampaignMember", ct))
        {
            if (member["CampaignId"] is { } campaign && (member["LeadId"] ?? member["ContactId"]) is { } person)
            {
                if (!byCampaign.TryGetValue(campaign, out var list))
                {
                    byCampaign[campaign] = list = [];
                }

                list.Add(person);
            }
        }

        var best = byCampaign.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).First();
        Assert.True(best.Value.Count >= 7, "The demo org should have a campaign with at least 7 members.");
        return (best.Key, best.Value.Distinct(StringComparer.Ordinal).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
