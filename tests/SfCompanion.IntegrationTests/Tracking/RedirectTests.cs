using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Recipients;
using SfCompanion.Storage;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

public sealed class RedirectTests
{
    private const string Destination = "https://www.exemple.fr/livre-blanc?ref=mail#haut";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<IReadOnlyList<ClickEvent>> ClicksAsync(SfcTestHost host)
    {
        var entries = await host.Services.GetRequiredService<ILogStore>().ReadAsync(ClickEvent.Log, 0, 100_000, Ct);
        return entries.Select(e => JsonSerializer.Deserialize<ClickEvent>(e.Payload)!).ToList();
    }

    [Fact]
    public async Task Registering_returns_templates_with_the_merge_fields_and_a_hidden_honeypot()
    {
        using var host = TrackingTestHost.Create();
        var registered = await host.RegisterAsync(Destination, Ct);

        Assert.Equal(Destination, registered.Link.Destination);
        Assert.Equal($"https://t.example.fr/r/{registered.Link.Id}?t={{!Lead.Sfc_Tracking_Token__c}}", registered.Link.Templates.Lead);
        Assert.Equal($"https://t.example.fr/r/{registered.Link.Id}?t={{!Contact.Sfc_Tracking_Token__c}}", registered.Link.Templates.Contact);
        Assert.True(registered.Honeypot.IsHoneypot);
        Assert.Contains("display:none", registered.HoneypotHtml.Lead, StringComparison.Ordinal);

        // A second link of the same campaign shares the honeypot.
        var second = await host.RegisterAsync("https://www.exemple.fr/tarifs", Ct, "Tarifs");
        Assert.Equal(registered.Honeypot.Id, second.Honeypot.Id);
    }

    [Fact]
    public async Task Registering_needs_a_key_and_valid_input()
    {
        using var host = TrackingTestHost.Create();
        var anonymous = host.Anonymous;
        var unauthenticated = await anonymous.PostAsJsonAsync("/api/tracking/links", new { campaignId = TrackingTestHost.CampaignId, label = "x", url = Destination }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        foreach (var url in new[] { "javascript:alert(1)", "ftp://exemple.fr/a", "/relative", "https://user:pw@exemple.fr/", "https://exemple.fr/a\r\nSet-Cookie: x=1", "https://exemple.fr/" + new string('a', 3000) })
        {
            var response = await marketer.PostAsJsonAsync("/api/tracking/links", new { campaignId = TrackingTestHost.CampaignId, label = "x", url }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("url", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var badCampaign = await marketer.PostAsJsonAsync("/api/tracking/links", new { campaignId = "00Q000000000001AAA", label = "x", url = Destination }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badCampaign.StatusCode);
    }

    [Fact]
    public async Task Utm_parameters_are_appended_on_the_server()
    {
        using var host = TrackingTestHost.Create();
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var response = await marketer.PostAsJsonAsync("/api/tracking/links",
            new { campaignId = TrackingTestHost.CampaignId, label = "Tarifs", url = "https://www.exemple.fr/tarifs#plans", utm = new Dictionary<string, string> { ["utm_source"] = "salesforce", ["utm_campaign"] = "printemps 2026" } }, Ct);
        var link = (await response.Content.ReadFromJsonAsync<TrackingApi.RegisteredLinkView>(Ct))!.Link;
        Assert.Equal("https://www.exemple.fr/tarifs?utm_source=salesforce&utm_campaign=printemps%202026#plans", link.Destination);
    }

    [Fact]
    public async Task A_valid_click_redirects_after_it_is_in_the_log()
    {
        using var host = TrackingTestHost.Create();
        var link = (await host.RegisterAsync(Destination, Ct)).Link;
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var preview = (await marketer.GetFromJsonAsync<TrackingApi.PreviewView>($"/api/tracking/links/{link.Id}/preview?recipientId={TrackingTestHost.LeadId}", Ct))!;
        Assert.StartsWith($"https://t.example.fr/r/{link.Id}?t=", preview.Url, StringComparison.Ordinal);

        var client = host.Anonymous;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(preview.Url).PathAndQuery);
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0");
        var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(Destination, response.Headers.Location!.OriginalString);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var click = Assert.Single(await ClicksAsync(host));
        Assert.Equal(TrackingTestHost.LeadId, click.RecipientId);
        Assert.Equal(link.Id, click.LinkId);
        Assert.Equal(TrackingTestHost.CampaignId, click.CampaignId);
        Assert.Contains("Firefox", click.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_tampered_truncated_and_foreign_tokens_redirect_as_anonymous_clicks()
    {
        using var host = TrackingTestHost.Create();
        var link = (await host.RegisterAsync(Destination, Ct)).Link;
        var token = host.Services.GetRequiredService<RecipientTokens>().Issue(TrackingTestHost.LeadId);
        var foreign = new RecipientTokens(new Dictionary<string, byte[]> { ["k1"] = new byte[32] }, "k1", TimeProvider.System).Issue(TrackingTestHost.LeadId);
        var otherRecipient = token.Replace(TrackingTestHost.LeadId, "00Q000000000002AAA", StringComparison.Ordinal);
        string?[] tokens = [null, "", token[..^3], token + "x", otherRecipient, foreign, token.ToUpperInvariant(), "a.b.c", token + "&t=" + token];
        var client = host.Anonymous;
        foreach (var t in tokens)
        {
            var response = await client.GetAsync(t is null ? $"/r/{link.Id}" : $"/r/{link.Id}?t={Uri.EscapeDataString(t)}", Ct);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal(Destination, response.Headers.Location!.OriginalString);
        }

        // Two t= values are not trusted either.
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync($"/r/{link.Id}?t={token}&t={token}", Ct)).StatusCode);

        var clicks = await ClicksAsync(host);
        Assert.Equal(tokens.Length + 1, clicks.Count);
        Assert.All(clicks, c => Assert.Null(c.RecipientId));
        // All but the missing one carried a token that did not verify (the double t= included).
        Assert.Equal(tokens.Length, clicks.Count(c => c.BadToken));

        // A replayed valid token is the same recipient clicking again: counted, attributed, never elsewhere.
        await client.GetAsync($"/r/{link.Id}?t={token}", Ct);
        await client.GetAsync($"/r/{link.Id}?t={token}", Ct);
        Assert.Equal(2, (await ClicksAsync(host)).Count(c => c.RecipientId == TrackingTestHost.LeadId));
    }

    [Fact]
    public async Task Unknown_links_get_a_plain_html_404()
    {
        using var host = TrackingTestHost.Create();
        var client = host.Anonymous;
        foreach (var path in new[] { "/r/ABCDEFGHIJ", "/r/short", "/r/" + new string('A', 5000), "/r/%2e%2e%2fapi%2fkeys", "/r/..%2F..%2Fetc%2Fpasswd" })
        {
            var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains("Link not found", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Empty(await ClicksAsync(host));
    }

    [Fact]
    public async Task A_disabled_link_stops_redirecting()
    {
        using var host = TrackingTestHost.Create();
        var link = (await host.RegisterAsync(Destination, Ct)).Link;
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        Assert.Equal(HttpStatusCode.NoContent, (await marketer.DeleteAsync($"/api/tracking/links/{link.Id}", Ct)).StatusCode);
        var client = host.Anonymous;
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/r/{link.Id}", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("Sec-Purpose", "prefetch;prerender")]
    [InlineData("Purpose", "prefetch")]
    [InlineData("X-Moz", "prefetch")]
    public async Task Prefetches_redirect_but_are_not_clicks(string header, string value)
    {
        using var host = TrackingTestHost.Create();
        var link = (await host.RegisterAsync(Destination, Ct)).Link;
        var client = host.Anonymous;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{link.Id}");
        request.Headers.TryAddWithoutValidation(header, value);
        var response = await client.SendAsync(request, Ct);
        using var head = new HttpRequestMessage(HttpMethod.Head, $"/r/{link.Id}");
        var headResponse = await client.SendAsync(head, Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(HttpStatusCode.Found, headResponse.StatusCode);
        Assert.Equal(Destination, headResponse.Headers.Location!.OriginalString);
        Assert.Empty(await ClicksAsync(host));
    }

    [Fact]
    public async Task Thousands_of_hostile_inputs_never_redirect_elsewhere_and_never_fail()
    {
        using var host = TrackingTestHost.Create();
        var link = (await host.RegisterAsync(Destination, Ct)).Link;
        var token = host.Services.GetRequiredService<RecipientTokens>().Issue(TrackingTestHost.LeadId);
        var random = new Random(1234);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~%/?#&=+:;@!$'()*,\\ \"<>{}|^`";
        string[] hostile =
        [
            "%0d%0aLocation:%20https://evil.example", "%0D%0ASet-Cookie:%20a=b", "https://evil.example", "//evil.example", "..%2f..%2f", "%00", "%E2%80%A8",
            "javascript:alert(1)", "%252e%252e%252f", new string('z', 20_000),
        ];
        var client = host.Anonymous;
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 2500; i++)
        {
            var junk = new string(Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var pick = hostile[random.Next(hostile.Length)];
            var path = (i % 5) switch
            {
                0 => $"/r/{Uri.EscapeDataString(junk)}",
                1 => $"/r/{link.Id}?t={Uri.EscapeDataString(junk)}",
                2 => $"/r/{link.Id}?t={pick}&next={pick}&url={pick}",
                3 => $"/r/{link.Id}/{pick}?t={token}",
                _ => $"/r/{link.Id}?t={Mutate(token, random)}&redirect={Uri.EscapeDataString(junk)}",
            };
            HttpResponseMessage response;
            try
            {
                response = await client.GetAsync(path, Ct);
            }
            catch (Exception ex) when (ex is UriFormatException or InvalidOperationException)
            {
                // Refused by the client or the in-process transport before reaching the service (Kestrel answers 400).
                continue;
            }

            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True((int)response.StatusCode < 500, $"{path} → {(int)response.StatusCode}");
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                Assert.Equal(Destination, response.Headers.Location!.OriginalString);
            }

            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Found) > 1000);
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.NotFound) > 500);
        // Every valid-looking click landed in the log; the random ones stay anonymous unless the token verified.
        var clicks = await ClicksAsync(host);
        Assert.All(clicks.Where(c => c.RecipientId is not null), c => Assert.Equal(TrackingTestHost.LeadId, c.RecipientId));
    }

    private static string Mutate(string token, Random random)
    {
        var chars = token.ToCharArray();
        chars[random.Next(chars.Length)] = (char)random.Next('0', 'z' + 1);
        return Uri.EscapeDataString(new string(chars));
    }
}
