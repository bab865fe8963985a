using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace SfCompanion.Soak;

/// <summary>
/// A bounded load at a fixed rate on the public endpoints of the web processes, round robin: tracked-link clicks by people
/// (a browser's user agent) and by mail security scanners (known scanner user agents), clicks without or with a tampered
/// token, preference-page opt-outs (page, then its form) and RFC 8058 one-click unsubscribes. At most
/// <see cref="MaxInFlight"/> requests at once: a tick that finds them all busy is skipped, so a slow service is not buried.
/// </summary>
internal sealed partial class LoadGenerator(IReadOnlyList<Uri> webs, IReadOnlyList<SoakLink> links, IReadOnlyList<SoakRecipient> recipients, SoakLedger ledger, int actionsPerSecond, int seed) : IDisposable
{
    public const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const int MaxInFlight = 16;
    private static readonly string[] ScannerAgents =
    [
        "Mozilla/5.0 (compatible; Barracuda Sentinel)",
        "Mozilla/5.0 (compatible; Mimecast URL Protect)",
        "Proofpoint URL Defense",
        "python-requests/2.32.3",
    ];

    private static readonly string[] PageChannels = ["email", "phone", "sms"];
    private readonly Random _random = new(seed);
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private readonly HttpClient _visitor = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    private int _next;

    public long Skipped { get; private set; }

    public void Dispose()
    {
        _visitor.Dispose();
        _inFlight.Dispose();
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var pending = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / actionsPerSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!_inFlight.Wait(0, CancellationToken.None))
                {
                    Skipped++;
                    continue;
                }

                pending.RemoveAll(t => t.IsCompleted);
                pending.Add(ActAsync());
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(pending);
    }

    private async Task ActAsync()
    {
        try
        {
            var web = webs[Interlocked.Increment(ref _next) % webs.Count];
            double roll;
            SoakRecipient recipient;
            lock (_random)
            {
                roll = _random.NextDouble();
                recipient = recipients[_random.Next(recipients.Count)];
            }

            switch (roll)
            {
                case < 0.50:
                    await ClickAsync(web, "human", LinkOf(recipient), recipient, Browser);
                    break;
                case < 0.65:
                    await ClickAsync(web, "scanner", LinkOf(recipient), recipient, Pick(ScannerAgents));
                    break;
                case < 0.70:
                    await ClickAsync(web, "anonymous", LinkOf(recipient), null, Browser);
                    break;
                case < 0.73:
                    await ClickAsync(web, "bad-token", LinkOf(recipient), recipient with { Token = Tamper(recipient.Token) }, Browser);
                    break;
                case < 0.87:
                    await PreferencePageAsync(web, recipient, Pick(PageChannels));
                    break;
                default:
                    await OneClickAsync(web, recipient);
                    break;
            }
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task ClickAsync(Uri web, string kind, SoakLink link, SoakRecipient? recipient, string agent)
    {
        var number = ledger.NextClickNumber();
        var userAgent = string.Create(CultureInfo.InvariantCulture, $"{agent} SoakRun/{number}");
        var url = new Uri(web, recipient is null ? $"/r/{link.Id}" : $"/r/{link.Id}?t={Uri.EscapeDataString(recipient.Token)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        var answered = false;
        try
        {
            using var response = await _visitor.SendAsync(request);
            answered = response.StatusCode == HttpStatusCode.Found && response.Headers.Location?.ToString().StartsWith(link.Destination, StringComparison.Ordinal) == true;
            if (!answered)
            {
                ledger.RequestFailures.Enqueue($"click {number} on {url}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // A process killed or restarting: not answered, so not promised.
        }

        var recipientId = kind is "human" or "scanner" ? recipient!.Id : null;
        ledger.Clicks.Enqueue(new SentClick(number, kind, link.Id, link.CampaignId, recipientId, userAgent, answered));
    }

    private async Task PreferencePageAsync(Uri web, SoakRecipient recipient, string channel)
    {
        try
        {
            var page = await _visitor.GetStringAsync(new Uri(web, $"/p/{recipient.Token}"));
            var form = FormToken().Match(page);
            if (!form.Success)
            {
                ledger.RequestFailures.Enqueue($"preference page of {recipient.Id}: no form token in the page");
                return;
            }

            using var body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_form"] = WebUtility.HtmlDecode(form.Groups[1].Value),
                ["change"] = channel + ":opt-out",
            });
            using var response = await _visitor.PostAsync(new Uri(web, $"/p/{recipient.Token}"), body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ledger.OptOuts.Enqueue(new ConsentAction(recipient.Id, channel, "page", DateTimeOffset.UtcNow));
            }
            else
            {
                ledger.RequestFailures.Enqueue($"preference opt-out of {recipient.Id} ({channel}): {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
    }

    private async Task OneClickAsync(Uri web, SoakRecipient recipient)
    {
        try
        {
            using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
            using var response = await _visitor.PostAsync(new Uri(web, $"/u/{recipient.Token}"), body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ledger.OptOuts.Enqueue(new ConsentAction(recipient.Id, "email", "one-click", DateTimeOffset.UtcNow));
            }
            else
            {
                ledger.RequestFailures.Enqueue($"one-click unsubscribe of {recipient.Id}: {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
        }
    }

    private SoakLink LinkOf(SoakRecipient recipient)
    {
        var own = links.Where(l => l.CampaignId == recipient.CampaignId).ToList();
        return Pick(own);
    }

    private T Pick<T>(IReadOnlyList<T> items)
    {
        lock (_random)
        {
            return items[_random.Next(items.Count)];
        }
    }

    private static string Tamper(string token) => token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

    [GeneratedRegex("name=\"_form\" value=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex FormToken();
}
