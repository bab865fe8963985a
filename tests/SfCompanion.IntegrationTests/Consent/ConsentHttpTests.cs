using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.Admin;
using SfCompanion.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Consent;

/// <summary>The public consent endpoints and the admin API over raw HTTP, without a browser.</summary>
public sealed class ConsentHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string LeadId(int n) => "00Q" + n.ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + "AAA";

    private static FormUrlEncodedContent OneClickBody() => new([new("List-Unsubscribe", "One-Click")]);

    [Fact]
    public async Task One_click_post_opts_out_of_email_with_proof_and_no_session()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/u/" + host.Tokens.Issue(lead)) { Content = OneClickBody() };
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (compatible; MailProvider-OneClick/1.0)");

        var response = await host.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var state = await host.Consent.GetStateAsync(lead, Ct);
        Assert.True(state!.IsOptedOut(ConsentChannels.Email));
        Assert.False(state.IsOptedOut(ConsentChannels.Phone));
        var proof = Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events);
        Assert.Equal(ConsentSources.OneClick, proof.Source);
        Assert.Equal(ConsentActions.OptOut, proof.Action);
        Assert.Equal("127.0.0.0/24", proof.IpPrefix);
        Assert.NotNull(proof.IpHash);
        Assert.Contains("MailProvider-OneClick", proof.UserAgent, StringComparison.Ordinal);
        Assert.Equal(host.Tokens.Verify(host.Tokens.Issue(lead))!.TokenId, proof.TokenId);
        Assert.DoesNotContain(host.Tokens.Issue(lead), proof.TokenId, StringComparison.Ordinal);

        // Mail providers may retry: a second one-click is accepted and records nothing new.
        var again = await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), OneClickBody(), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events);
    }

    [Fact]
    public async Task One_click_post_without_the_rfc_8058_body_changes_nothing()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(2);

        var empty = await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), new StringContent(""), Ct);
        var wrong = await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), new FormUrlEncodedContent([new("List-Unsubscribe", "yes")]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Null(await host.Consent.GetStateAsync(lead, Ct));
    }

    [Fact]
    public async Task A_burst_of_scanner_gets_on_every_link_changes_nothing()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(3);
        var token = host.Tokens.Issue(lead);
        var confirm = host.Services.GetRequiredService<ConsentLinks>().Confirmation(lead, ConsentChannels.Email, requestBase: host.BaseUrl).Url;
        string[] urls =
        [
            "/p/" + token, "/u/" + token, "/p/" + token + "?lang=fr", new Uri(confirm).PathAndQuery,
            "/c/" + token + "?channel=email", "/c/" + token + "?channel=prospection", "/p/" + token + "x", "/u/garbage",
        ];

        var requests = new List<Task<HttpResponseMessage>>();
        for (var round = 0; round < 10; round++)
        {
            foreach (var url in urls)
            {
                requests.Add(host.Anonymous.GetAsync(url, Ct));
                requests.Add(host.Anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct));
            }
        }

        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{r.RequestMessage!.RequestUri}: {r.StatusCode}"));
        Assert.Null(await host.Consent.GetStateAsync(lead, Ct));
        Assert.Empty((await host.Consent.ExportAsync(lead, Ct)).Events);
        Assert.Equal(0, await host.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task Preference_post_needs_the_form_token_of_a_rendered_page_and_a_same_site_origin()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(4);
        var other = LeadId(5);
        var url = "/p/" + host.Tokens.Issue(lead);
        var change = new KeyValuePair<string, string>("change", "email:opt-out");

        var noToken = await host.Anonymous.PostAsync(url, new FormUrlEncodedContent([change]), Ct);
        var otherRecipientsToken = await host.Anonymous.PostAsync(url, new FormUrlEncodedContent([change, new("_form", host.Tokens.IssueFor(other, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]), Ct);
        var expired = await host.Anonymous.PostAsync(url, new FormUrlEncodedContent([change, new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromSeconds(-5)))]), Ct);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new FormUrlEncodedContent([change, new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]),
        };
        crossSite.Headers.Add("Origin", "https://attacker.example");
        var crossSiteResponse = await host.Anonymous.SendAsync(crossSite, Ct);

        Assert.All([noToken, otherRecipientsToken, expired, crossSiteResponse], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("Nothing was changed", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await host.Consent.GetStateAsync(lead, Ct));

        var valid = await host.Anonymous.PostAsync(url, new FormUrlEncodedContent([change, new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]), Ct);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.True((await host.Consent.GetStateAsync(lead, Ct))!.IsOptedOut(ConsentChannels.Email));
    }

    [Fact]
    public async Task Tampered_expired_and_unknown_tokens_get_the_same_friendly_page_and_change_nothing()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(6);
        var token = host.Tokens.Issue(lead);
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var otherId = LeadId(7);
        var swapped = token.Replace(lead, otherId, StringComparison.Ordinal);
        var expiredConfirm = host.Tokens.IssueFor(lead, ConsentPages.ConfirmPurposePrefix + "email", TimeSpan.FromSeconds(-1));
        var form = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click"), new("change", "email:opt-out"), new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]);

        var bodies = new List<string>();
        foreach (var bad in new[] { tampered, swapped, "k0000.00Q000000000099AAA.AAAAAAAAAAAAAAAAAAAAAA", "nonsense" })
        {
            foreach (var path in new[] { "/p/", "/u/", "/c/" })
            {
                var get = await host.Anonymous.GetAsync(path + bad, Ct);
                var post = await host.Anonymous.PostAsync(path + bad, form, Ct);
                Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
                bodies.Add(await get.Content.ReadAsStringAsync(Ct));
                bodies.Add(await post.Content.ReadAsStringAsync(Ct));
            }
        }

        var expiredGet = await host.Anonymous.GetAsync("/c/" + expiredConfirm, Ct);
        Assert.Equal(HttpStatusCode.NotFound, expiredGet.StatusCode);
        bodies.Add(await expiredGet.Content.ReadAsStringAsync(Ct));

        Assert.Single(bodies.Distinct(StringComparer.Ordinal));
        Assert.Contains("This link cannot be used", bodies[0], StringComparison.Ordinal);
        Assert.DoesNotContain("exception", bodies[0], StringComparison.OrdinalIgnoreCase);
        Assert.Null(await host.Consent.GetStateAsync(lead, Ct));
        Assert.Null(await host.Consent.GetStateAsync(otherId, Ct));
    }

    [Fact]
    public async Task Admin_export_then_erasure_keeps_only_a_suppression_record()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = LeadId(8);
        await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), OneClickBody(), Ct);
        // What click tracking holds about the same person: raw clicks in the log (one aggregated, one not yet), an
        // aggregate pointing at the first, and a queued tracking token. Someone else's click sits between them.
        var log = host.Services.GetRequiredService<ILogStore>();
        string Click(string? recipient, string ua) => JsonSerializer.Serialize(new SfCompanion.Tracking.ClickEvent
        {
            LinkId = "abcdefghij", CampaignId = "701000000000001AAA", RecipientId = recipient, At = DateTimeOffset.UtcNow, UserAgent = ua, Ip = "192.0.2.0/24",
        });
        var first = await log.AppendAsync(SfCompanion.Tracking.ClickEvent.Log, [Click(lead, "Aggregated/1.0"), Click(LeadId(9), "Someone else/1.0")], Ct);
        await log.SetCursorAsync(SfCompanion.Tracking.ClickEvent.Log, SfCompanion.Tracking.ClickAggregator.Consumer, first + 1, Ct);
        await log.AppendAsync(SfCompanion.Tracking.ClickEvent.Log, [Click(lead, "Not aggregated yet/1.0")], Ct);
        var clicks = host.Services.GetRequiredService<SfCompanion.Tracking.ClickAggregateStore>();
        await clicks.PutClickerAsync(new SfCompanion.Tracking.ClickerAggregate
        {
            CampaignId = "701000000000001AAA", RecipientId = lead,
            Clicks = [new SfCompanion.Tracking.RecordedClick { Seq = first, LinkId = "abcdefghij", At = DateTimeOffset.UtcNow }],
        }, 0, Ct);
        await clicks.SetQueuedTokenAsync(lead, host.Tokens.Issue(lead), Ct);
        var admin = host.Admin;
        var anonymous = host.Anonymous;
        var viewer = await host.ClientAsync(SfcRoles.Viewer);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/consent/subjects/" + lead, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/consent/subjects/" + lead, Ct)).StatusCode);

        var export = await admin.GetFromJsonAsync<JsonElement>("/api/consent/subjects/" + lead, Ct);
        Assert.Equal(lead, export.GetProperty("subject").GetString());
        Assert.Equal("one-click", export.GetProperty("events")[0].GetProperty("source").GetString());
        Assert.Equal("opt-out", export.GetProperty("state").GetProperty("channels").GetProperty("email").GetProperty("status").GetString());
        var tracking = export.GetProperty("otherData").GetProperty("tracking");
        Assert.Equal("701000000000001AAA", tracking.GetProperty("clicks")[0].GetProperty("campaignId").GetString());
        Assert.True(tracking.GetProperty("trackingTokenQueued").GetBoolean());
        Assert.Equal(
            ["Aggregated/1.0", "Not aggregated yet/1.0"],
            tracking.GetProperty("rawClicks").EnumerateArray().Select(c => c.GetProperty("userAgent").GetString()));
        Assert.Equal("192.0.2.0/24", tracking.GetProperty("rawClicks")[0].GetProperty("ip").GetString());

        var erase = await admin.DeleteAsync("/api/consent/subjects/" + lead, Ct);
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        // Two raw clicks, the aggregate and the queued token.
        Assert.Equal(4, (await erase.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("otherDataDeleted").GetProperty("tracking").GetInt32());
        var left = await log.ReadAsync(SfCompanion.Tracking.ClickEvent.Log, 0, 10, Ct);
        Assert.Equal([first + 1], left.Select(e => e.Sequence));
        Assert.Contains("Someone else/1.0", left[0].Payload, StringComparison.Ordinal);

        var after = await admin.GetFromJsonAsync<JsonElement>("/api/consent/subjects/" + lead, Ct);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("state").ValueKind);
        Assert.Equal(0, after.GetProperty("events").GetArrayLength());
        Assert.True(after.GetProperty("suppressed").GetBoolean());
        Assert.Equal(0, after.GetProperty("otherData").GetProperty("tracking").GetProperty("clicks").GetArrayLength());
        Assert.Equal(0, after.GetProperty("otherData").GetProperty("tracking").GetProperty("rawClicks").GetArrayLength());
        Assert.Null(await clicks.GetQueuedTokenAsync(lead, Ct));
        Assert.True(await host.Consent.IsOptedOutAsync(lead, ConsentChannels.Phone, Ct));
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var suppression = Assert.Single((await store.ListAsync(ConsentStore.SuppressionKind, cancellationToken: Ct)).Items);
        Assert.DoesNotContain(lead, suppression.Data, StringComparison.Ordinal);
        var pending = await host.Outbox.GetAsync("Lead", lead, Ct);
        Assert.Equal("true", pending!.Fields["HasOptedOutOfEmail"].Value);
        Assert.Equal("true", pending.Fields["DoNotCall"].Value);
        Assert.Equal("true", pending.Fields["Sfc_Sms_Opt_Out__c"].Value);
    }

    [Fact]
    public async Task Admin_import_records_events_with_their_dates_and_rejects_bad_rows_with_every_problem()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var admin = host.Admin;
        var lead = LeadId(9);
        var at = new DateTimeOffset(2024, 3, 1, 9, 30, 0, TimeSpan.Zero);

        var bad = await admin.PostAsJsonAsync("/api/consent/import", new { events = new object[] { new { subject = "x", channel = "fax", action = "maybe" } } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("subject = 'x'", problem, StringComparison.Ordinal);
        Assert.Contains("channel = 'fax'", problem, StringComparison.Ordinal);
        Assert.Contains("action = 'maybe'", problem, StringComparison.Ordinal);

        var ok = await admin.PostAsJsonAsync("/api/consent/import", new
        {
            events = new[] { new { subject = lead, channel = "sms", action = "opt-in", at, note = "paper form at the trade show" } },
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var state = await host.Consent.GetStateAsync(lead, Ct);
        Assert.True(state!.IsOptedIn(ConsentChannels.Sms));
        var e = Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events);
        Assert.Equal(ConsentSources.AdminImport, e.Source);
        Assert.Equal(at, e.At);
        Assert.Equal("paper form at the trade show", e.Note);
    }

    [Fact]
    public async Task Marketer_gets_a_recipients_links_and_list_unsubscribe_headers()
    {
        await using var host = await ConsentTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Consent:PublicBaseUrl"] = "https://consent.acme.fr" });
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var lead = LeadId(10);

        var links = await marketer.GetFromJsonAsync<JsonElement>("/api/consent/links/" + lead, Ct);
        var confirmation = await marketer.PostAsJsonAsync("/api/consent/confirmation-links", new { recipientId = lead, channel = "email", lifetimeDays = 3 }, Ct);

        var token = host.Tokens.Issue(lead);
        Assert.Equal("https://consent.acme.fr/p/" + token, links.GetProperty("preferences").GetString());
        Assert.Equal("<https://consent.acme.fr/u/" + token + ">", links.GetProperty("listUnsubscribeHeader").GetString());
        Assert.Equal("List-Unsubscribe=One-Click", links.GetProperty("listUnsubscribePostHeader").GetString());
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        var url = (await confirmation.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("url").GetString()!;
        Assert.StartsWith("https://consent.acme.fr/c/", url, StringComparison.Ordinal);
        Assert.NotNull(host.Tokens.Verify(url[(url.LastIndexOf('/') + 1)..], "confirm-email"));
    }
}
