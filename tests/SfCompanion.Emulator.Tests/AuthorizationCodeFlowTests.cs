using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace SfCompanion.Emulator.Tests;

/// <summary>The web server flow (authorization code with PKCE) over raw HTTP, as a browser and a confidential client drive it.</summary>
public sealed class AuthorizationCodeFlowTests : IAsyncLifetime
{
    private const string Callback = "http://127.0.0.1:5999/console/signin/salesforce/callback";
    private const string Admin = "admin@demo.sfcompanion.test";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private SalesforceEmulator _org = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _org = await SalesforceEmulator.StartAsync(new EmulatorOptions { TimeProvider = _time }, Ct);
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(_org.BaseUrl) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _org.DisposeAsync();
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static Dictionary<string, string> Authorize(string challenge, string? clientId = null, string? redirectUri = null) => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId ?? EmulatorOptions.DefaultClientId,
        ["redirect_uri"] = redirectUri ?? Callback,
        ["state"] = "st4te/+=",
        ["code_challenge"] = challenge,
        ["code_challenge_method"] = "S256",
        ["scope"] = "openid profile",
    };

    private async Task<HttpResponseMessage> LogInAsync(Dictionary<string, string> authorize, string username = Admin, string password = EmulatorOptions.DefaultUserPassword, string action = "login")
    {
        var form = new Dictionary<string, string>(authorize) { ["username"] = username, ["password"] = password, ["action"] = action };
        return await _http.PostAsync("/services/oauth2/authorize", new FormUrlEncodedContent(form), Ct);
    }

    /// <summary>Logs in and returns the code from the redirect to the callback.</summary>
    private async Task<string> CodeAsync(string challenge, string username = Admin)
    {
        using var response = await LogInAsync(Authorize(challenge), username);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith(Callback + "?", location, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(location).Query);
        Assert.Equal("st4te/+=", query["state"].ToString());
        return query["code"].ToString();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(string code, string verifier, string? redirectUri = null, string? secret = EmulatorOptions.DefaultClientSecret)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri ?? Callback,
            ["client_id"] = EmulatorOptions.DefaultClientId,
            ["code_verifier"] = verifier,
        };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        using var response = await _http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(form), Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    [Fact]
    public async Task Login_page_is_a_plain_form_with_labelled_fields_and_the_demo_users()
    {
        var (_, challenge) = Pkce();
        using var response = await _http.GetAsync(QueryHelpers.AddQueryString("/services/oauth2/authorize", Authorize(challenge)!), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<label for=\"username\">Username</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains("name=\"code_challenge\" value=\"" + challenge + "\"", html, StringComparison.Ordinal);
        Assert.Contains(Admin, html, StringComparison.Ordinal);
        Assert.Contains(EmulatorOptions.DefaultUserPassword, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Full_code_flow_with_pkce_issues_a_token_whose_userinfo_is_the_user()
    {
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(challenge);

        var (status, token) = await ExchangeAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var key in new[] { "access_token", "instance_url", "id", "token_type", "issued_at", "signature", "scope" })
        {
            Assert.False(string.IsNullOrEmpty(token.GetProperty(key).GetString()), key);
        }

        Assert.Equal(_org.BaseUrl, token.GetProperty("instance_url").GetString());
        Assert.Equal("openid profile", token.GetProperty("scope").GetString());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/oauth2/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        using var userinfo = await _http.SendAsync(request, Ct);
        var user = await userinfo.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.OK, userinfo.StatusCode);
        Assert.Equal(_org.Data.OrganizationId, user.GetProperty("organization_id").GetString());
        Assert.Equal(Admin, user.GetProperty("preferred_username").GetString());
        Assert.Equal("Alice Admin", user.GetProperty("name").GetString());
        Assert.Equal(Admin, user.GetProperty("email").GetString());
        var userId = user.GetProperty("user_id").GetString()!;
        Assert.StartsWith("005", userId, StringComparison.Ordinal);
        Assert.EndsWith("/" + userId, token.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(token.GetProperty("id").GetString(), user.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Wrong_verifier_is_refused_and_uses_the_code_up()
    {
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(challenge);

        var (status, body) = await ExchangeAsync(code, Pkce().Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("invalid code verifier", body.GetProperty("error_description").GetString());

        var (again, _) = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, again);
    }

    [Fact]
    public async Task Missing_verifier_is_refused()
    {
        var (_, challenge) = Pkce();
        var (status, body) = await ExchangeAsync(await CodeAsync(challenge), "");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_code_is_single_use()
    {
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(challenge);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(code, verifier)).Status);

        var (status, body) = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        var (verifier, challenge) = Pkce();
        var code = await CodeAsync(challenge);
        _time.Advance(TimeSpan.FromMinutes(16));

        var (status, body) = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Redirect_uri_of_the_exchange_must_be_the_one_of_the_code()
    {
        var (verifier, challenge) = Pkce();
        var (status, body) = await ExchangeAsync(await CodeAsync(challenge), verifier, redirectUri: "http://127.0.0.1:5999/elsewhere");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("redirect_uri_mismatch", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Wrong_client_secret_is_refused_and_a_missing_one_when_the_app_requires_it()
    {
        var (verifier, challenge) = Pkce();
        var (wrong, body) = await ExchangeAsync(await CodeAsync(challenge), verifier, secret: "nope");
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());

        (verifier, challenge) = Pkce();
        var (missing, _) = await ExchangeAsync(await CodeAsync(challenge), verifier, secret: null);
        Assert.Equal(HttpStatusCode.BadRequest, missing);
    }

    [Fact]
    public async Task Unknown_client_gets_an_error_page_and_no_redirect()
    {
        var (_, challenge) = Pkce();
        using var get = await _http.GetAsync(QueryHelpers.AddQueryString("/services/oauth2/authorize", Authorize(challenge, clientId: "someone-else")!), Ct);
        using var post = await LogInAsync(Authorize(challenge, clientId: "someone-else"));

        foreach (var response in new[] { get, post })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains("invalid_client_id", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("https://attacker.example.com/callback")]
    [InlineData("not a url")]
    [InlineData("javascript:alert(1)")]
    public async Task A_callback_the_app_does_not_accept_gets_an_error_page_and_no_redirect(string redirectUri)
    {
        var (_, challenge) = Pkce();
        using var response = await LogInAsync(Authorize(challenge, redirectUri: redirectUri));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri_mismatch", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registered_callback_urls_are_compared_exactly()
    {
        await using var org = await SalesforceEmulator.StartAsync(new EmulatorOptions { CallbackUrls = { "https://sfc.example.com/console/signin/salesforce/callback" } }, Ct);
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(org.BaseUrl) };
        var (_, challenge) = Pkce();
        using var loopback = await http.GetAsync(QueryHelpers.AddQueryString("/services/oauth2/authorize", Authorize(challenge)!), Ct);
        using var registered = await http.GetAsync(QueryHelpers.AddQueryString("/services/oauth2/authorize",
            Authorize(challenge, redirectUri: "https://sfc.example.com/console/signin/salesforce/callback")!), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, loopback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
    }

    [Fact]
    public async Task Deny_redirects_with_access_denied_and_the_state()
    {
        var (_, challenge) = Pkce();
        using var response = await LogInAsync(Authorize(challenge), action: "deny");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"].ToString());
        Assert.Equal("st4te/+=", query["state"].ToString());
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task Wrong_password_shows_the_form_again_with_an_alert_and_no_code()
    {
        var (_, challenge) = Pkce();
        using var response = await LogInAsync(Authorize(challenge), password: "guess");
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("check your username and password", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_code_challenge_is_sent_back_as_invalid_request()
    {
        var authorize = Authorize("");
        authorize.Remove("code_challenge");
        using var response = await _http.GetAsync(QueryHelpers.AddQueryString("/services/oauth2/authorize", authorize!), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_request", QueryHelpers.ParseQuery(response.Headers.Location!.Query)["error"].ToString());
    }

    [Fact]
    public async Task Permission_set_assignments_are_queryable_with_the_permission_set_name()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _org.IssueAccessToken());
        var adminId = (string)_org.Data.Query($"SELECT Id FROM User WHERE Username = '{Admin}'")[0]["Id"]!;

        using var response = await _http.GetAsync(
            "/services/data/v66.0/query?q=" + Uri.EscapeDataString($"SELECT PermissionSetId, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '{adminId}'"), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(body.GetProperty("records").EnumerateArray());
        Assert.Equal("SfCompanion_Admin", record.GetProperty("PermissionSet").GetProperty("Name").GetString());
        var byName = _org.Data.Query("SELECT Assignee.Username FROM PermissionSetAssignment WHERE PermissionSet.Name = 'SfCompanion_Marketer'");
        Assert.Equal("marketer@demo.sfcompanion.test", Assert.Single(byName)["Assignee.Username"]);
        Assert.Empty(_org.Data.Query("SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = 'norole@demo.sfcompanion.test'"));
        Assert.Equal(4, _org.Data.Query("SELECT Name, Label FROM PermissionSet WHERE Name LIKE 'SfCompanion%'").Count);
    }
}
