using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using SfCompanion.IntegrationTests.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.IntegrationTests.Tracking;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>
/// The public pages (preferences, one-click unsubscribe, double opt-in confirmation, the tracked redirect) over real
/// HTTP with hostile tokens, forms and query strings: every answer is a 4xx (a 302 to the registered destination for the
/// redirect), never a server error, never a stack trace or exception type, and no consent changes.
/// </summary>
public sealed partial class PublicPagesHostileInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] BadTokens =
    [
        new string('a', 4000),
        Uri.EscapeDataString("\u0430dmin"),
        "..%2f..%2fetc%2fpasswd",
        "%C3%28",
        "eyJhbGciOiJub25lIn0.e30.",
    ];

    [Fact]
    public async Task Consent_pages_refuse_bad_tokens_and_forms_without_changing_consent()
    {
        await using var host = await ConsentTestHost.StartAsync();
        var lead = ConsentHttpTests.LeadId(401);
        var token = host.Tokens.Issue(lead);
        using var http = host.ClientWithKey(null);
        var formToken = await FormTokenAsync(http, token);
        var failures = new List<string>();

        async Task ExpectAsync(string what, HttpRequestMessage request, params int[] statuses)
        {
            using (request)
            using (var response = await http.SendAsync(request, Ct))
            {
                var body = await response.Content.ReadAsStringAsync(Ct);
                var status = (int)response.StatusCode;
                if (!statuses.Contains(status))
                {
                    failures.Add($"{what}: {status} (expected {string.Join(" or ", statuses)}): {Shorten(body)}");
                }

                if (LeakPattern().Match(body) is { Success: true } leak)
                {
                    failures.Add($"{what}: shows '{leak.Value}'");
                }
            }
        }

        foreach (var bad in BadTokens)
        {
            foreach (var page in new[] { "p", "u", "c" })
            {
                await ExpectAsync($"GET /{page}/<bad token>", new HttpRequestMessage(HttpMethod.Get, $"/{page}/{bad}?channel=email"), 404);
                await ExpectAsync($"POST /{page}/<bad token>", Post($"/{page}/{bad}?channel=email", Form(("List-Unsubscribe", "One-Click"), ("_form", formToken), ("change", "email:opt-out"))), 404);
            }
        }

        // The preference form: missing, duplicated, forged, oversized and too many fields; not a form at all.
        var p = "/p/" + token;
        await ExpectAsync("no form", Post(p, null), 400);
        await ExpectAsync("no form token", Post(p, Form(("change", "email:opt-out"))), 400);
        await ExpectAsync("forged form token", Post(p, Form(("_form", "x." + formToken), ("change", "email:opt-out"))), 400);
        await ExpectAsync("duplicated form token", Post(p, Form(("_form", formToken), ("_form", formToken), ("change", "email:opt-out"))), 400);
        await ExpectAsync("duplicated change", Post(p, Form(("_form", formToken), ("change", "email:opt-out"), ("change", "sms:opt-out"))), 400);
        await ExpectAsync("unknown channel", Post(p, Form(("_form", formToken), ("change", "fax:opt-out"))), 400);
        await ExpectAsync("confusable channel", Post(p, Form(("_form", formToken), ("change", "\u0435mail:opt-out"))), 400);
        await ExpectAsync("long field", Post(p, Form(("_form", formToken), ("change", new string('x', 12_000)))), 400);
        // Valid otherwise: only the limit of 32 fields refuses these (the opt-out would be recorded without it).
        await ExpectAsync("too many fields", Post(p, Form([("_form", formToken), ("change", "email:opt-out"), .. Enumerable.Range(0, 40).Select(i => ("f" + i, "v"))])), 400);
        await ExpectAsync("too long a field name", Post(p, Form(("_form", formToken), ("change", "email:opt-out"), (new string('n', 300), "v"))), 400);
        await ExpectAsync("body over 16 KiB", Post(p, Form(("_form", formToken), ("change", new string('x', 40_000)))), 413);
        await ExpectAsync("JSON instead of a form", Post(p, new StringContent("{\"change\":\"email:opt-out\"}", Encoding.UTF8, "application/json")), 400);
        await ExpectAsync("malformed multipart", Post(p, Raw("--b\r\nContent-Disposition: form-data; name=\"_form\"\r\n\r\nx", "multipart/form-data; boundary=b")), 400);
        await ExpectAsync("multipart without boundary", Post(p, Raw("x", "multipart/form-data")), 400);

        // RFC 8058 one-click: the body must be exactly List-Unsubscribe=One-Click.
        var u = "/u/" + token;
        await ExpectAsync("one-click without body", Post(u, null), 400);
        await ExpectAsync("one-click missing field", Post(u, Form(("Other", "One-Click"))), 400);
        await ExpectAsync("one-click wrong value", Post(u, Form(("List-Unsubscribe", "one-click"))), 400);
        await ExpectAsync("one-click duplicated field", Post(u, Form(("List-Unsubscribe", "One-Click"), ("List-Unsubscribe", "Other"))), 400);
        await ExpectAsync("one-click body over 4 KiB", Post(u, Form(("List-Unsubscribe", "One-Click"), ("pad", new string('x', 5000)))), 413);
        await ExpectAsync("one-click JSON", Post(u, new StringContent("{\"List-Unsubscribe\":\"One-Click\"}", Encoding.UTF8, "application/json")), 400);
        await ExpectAsync("one-click malformed multipart", Post(u, Raw("--b\r\nbroken", "multipart/form-data; boundary=b")), 400);

        // Double opt-in: a stable token needs one known channel; the confirmation needs its form.
        var c = "/c/" + token;
        await ExpectAsync("confirm without channel", new HttpRequestMessage(HttpMethod.Get, c), 404);
        await ExpectAsync("confirm duplicated channel", new HttpRequestMessage(HttpMethod.Get, c + "?channel=email&channel=sms"), 404);
        await ExpectAsync("confirm huge channel", new HttpRequestMessage(HttpMethod.Get, c + "?channel=" + new string('e', 4000)), 404);
        await ExpectAsync("confirm NUL channel", new HttpRequestMessage(HttpMethod.Get, c + "?channel=email%00"), 404);
        await ExpectAsync("confirm post without form", Post(c + "?channel=email", null), 400);
        await ExpectAsync("confirm post with forged form", Post(c + "?channel=email", Form(("_form", formToken + "x"))), 400);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Null(await host.Consent.GetStateAsync(lead, Ct));
        Assert.Empty((await host.Consent.ExportAsync(lead, Ct)).Events);
    }

    [Fact]
    public async Task Redirect_with_hostile_query_strings_goes_to_the_registered_destination_only()
    {
        await using var host = TrackingTestHost.Create().WithKestrel();
        await host.StartAsync();
        var link = (await host.RegisterAsync("https://www.example.fr/livre-blanc", Ct)).Link;
        using var http = host.ClientWithKey(null);
        var failures = new List<string>();
        foreach (var query in new[]
        {
            "t=" + new string('a', 4000),
            "t=a&t=b",
            "t=%00",
            "t=..%2f..%2fetc%2fpasswd",
            "t=%C3%28",
            "t=https%3A%2F%2Fevil.example%2F",
            "url=https%3A%2F%2Fevil.example%2F&redirect=https%3A%2F%2Fevil.example%2F",
            "t",
            "=&&=&t==",
            string.Join("&", Enumerable.Range(0, 500).Select(i => $"k{i}=v")),
        })
        {
            using var response = await http.GetAsync($"/r/{link.Id}?{query}", Ct);
            if (response.StatusCode != HttpStatusCode.Found || response.Headers.Location?.ToString() != link.Destination)
            {
                failures.Add($"?{Shorten(query)}: {(int)response.StatusCode} to '{response.Headers.Location}'");
            }
        }

        foreach (var id in new[] { new string('a', 4000), Uri.EscapeDataString("\u0430dmin"), "..%2f..%2fetc", "%C3%28", link.Id + "%2f.." })
        {
            using var response = await http.GetAsync($"/r/{id}?t=x", Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode != HttpStatusCode.NotFound || LeakPattern().IsMatch(body))
            {
                failures.Add($"/r/{Shorten(id)}: {(int)response.StatusCode}: {Shorten(body)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        using var admin = host.ClientWithKey(SfcTestHost.AdminKey);
        var stored = await admin.GetFromJsonAsync<TrackingApi.LinkView>($"/api/tracking/links/{link.Id}", Ct);
        Assert.Equal(link.Destination, stored!.Destination);
    }

    /// <summary>A form token from the rendered preference page, as a browser would post it.</summary>
    private static async Task<string> FormTokenAsync(HttpClient http, string token)
    {
        var html = await http.GetStringAsync("/p/" + token, Ct);
        return FormTokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException("no form token in the page");
    }

    private static HttpRequestMessage Post(string url, HttpContent? content) => new(HttpMethod.Post, url) { Content = content };

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex("name=\"_form\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b|\bat [A-Za-z_.`<>]+\(|\bSystem\.[A-Z][A-Za-z.`]+|\bMicrosoft\.[A-Z][A-Za-z.]+|\bSfCompanion\.[A-Z][A-Za-z.]+")]
    private static partial Regex LeakPattern();
}
