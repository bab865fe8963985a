using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfCompanion.Emulator.Tests;

public sealed class OAuthTests : IAsyncLifetime
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private SalesforceEmulator _org = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new EmulatorOptions { TimeProvider = _time, AccessTokenLifetime = TimeSpan.FromMinutes(30) };
        options.JwtPublicKey = RSA.Create();
        options.JwtPublicKey.ImportRSAPublicKey(_key.ExportRSAPublicKey(), out _);
        _org = await SalesforceEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = new Uri(_org.BaseUrl) };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _org.DisposeAsync();
        _key.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var response = await _http.PostAsync("/services/oauth2/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    private string Assertion(string? sub = null, string? aud = null, DateTime? expires = null, RSA? key = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _org.ClientId,
            Audience = aud ?? "https://login.salesforce.com",
            Subject = new ClaimsIdentity([new Claim("sub", sub ?? _org.DemoUsername)]),
            Expires = expires ?? _time.GetUtcNow().UtcDateTime.AddMinutes(3),
            IssuedAt = _time.GetUtcNow().UtcDateTime,
            NotBefore = _time.GetUtcNow().UtcDateTime.AddMinutes(-1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? _key), SecurityAlgorithms.RsaSha256),
        });

    [Fact]
    public async Task ClientCredentials_ValidSecret_ReturnsSalesforceTokenResponse()
    {
        var (status, body) = await TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = EmulatorOptions.DefaultClientId,
            ["client_secret"] = EmulatorOptions.DefaultClientSecret,
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_org.BaseUrl, body.GetProperty("instance_url").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.EndsWith(_org.Data.AdminUserId, body.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(body.GetProperty("access_token").GetString()!);
        Assert.NotEmpty(body.GetProperty("signature").GetString()!);
    }

    [Fact]
    public async Task ClientCredentials_WrongSecret_IsInvalidClient()
    {
        var (status, body) = await TokenAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = EmulatorOptions.DefaultClientId,
            ["client_secret"] = "wrong",
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnknownGrantType_IsUnsupported()
    {
        var (status, body) = await TokenAsync(new() { ["grant_type"] = "password" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unsupported_grant_type", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task JwtBearer_SignedAssertion_IssuesWorkingToken()
    {
        var (status, body) = await TokenAsync(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = Assertion() });
        Assert.Equal(HttpStatusCode.OK, status);

        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        using var limits = await _http.GetAsync("/services/data/v62.0/limits", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);
    }

    [Fact]
    public async Task JwtBearer_WrongKey_IsInvalidGrant()
    {
        using var other = RSA.Create(2048);
        var (status, body) = await TokenAsync(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = Assertion(key: other) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task JwtBearer_UnknownUser_IsInvalidGrant()
    {
        var (_, body) = await TokenAsync(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = Assertion(sub: "nobody@example.com") });
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
        Assert.Equal("user hasn't approved this consumer", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task JwtBearer_WrongAudience_IsInvalidGrant()
    {
        var (_, body) = await TokenAsync(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = Assertion(aud: "https://evil.example.com") });
        Assert.Equal("audience is invalid", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task JwtBearer_ExpiredAssertion_IsInvalidGrant()
    {
        var assertion = Assertion();
        _time.Advance(TimeSpan.FromMinutes(10));
        var (_, body) = await TokenAsync(new() { ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["assertion"] = assertion });
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AccessToken_AfterLifetime_GetsInvalidSessionId()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _org.IssueAccessToken());
        using (var before = await _http.GetAsync("/services/data/v62.0/limits", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _time.Advance(TimeSpan.FromMinutes(31));
        using var after = await _http.GetAsync("/services/data/v62.0/limits", TestContext.Current.CancellationToken);
        var body = await after.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("INVALID_SESSION_ID", body[0].GetProperty("errorCode").GetString());
    }
}
