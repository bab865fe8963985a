using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public sealed class AuthTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-auth-").FullName;

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string WritePem()
    {
        var path = Path.Combine(_directory, "server.key");
        File.WriteAllText(path, _key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private SalesforceTestServer JwtServer(string keyPath, Action<SalesforceOptions>? configure = null) => Create(o =>
    {
        o.AuthFlow = SalesforceAuthFlow.JwtBearer;
        o.ClientSecret = null;
        o.Username = "integration@acme.example";
        o.PrivateKeyPath = keyPath;
        configure?.Invoke(o);
    });

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    private async Task<JsonWebToken> ValidateAssertionAsync(string assertion, string audience, SecurityKey key)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidIssuer = "3MVG9-test-consumer-key",
            ValidAudience = audience,
            IssuerSigningKey = key,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    [Fact]
    public async Task Jwt_bearer_assertion_is_signed_RS256_with_the_expected_claims()
    {
        using var sf = JwtServer(WritePem());

        var limitsStub = """{"DailyApiRequests":{"Max":15000,"Remaining":14000}}""";
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(limitsStub));
        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);

        var tokenRequest = sf.Requests.Single(r => r.RequestMessage.Path == "/services/oauth2/token");
        var form = Form(Body(tokenRequest));
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        var token = await ValidateAssertionAsync(form["assertion"], sf.Url.TrimEnd('/'), new RsaSecurityKey(_key.ExportParameters(false)));
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("integration@acme.example", token.Subject);
        Assert.True(token.ValidTo <= DateTime.UtcNow.AddMinutes(3).AddSeconds(5), "exp must be at most 3 minutes ahead");
        Assert.True(token.ValidTo > DateTime.UtcNow.AddMinutes(2));
    }

    [Fact]
    public async Task Jwt_assertion_uses_the_injected_clock_and_the_sandbox_audience()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 31, 10, 0, 0, TimeSpan.Zero));
        using var server = WireMock.Server.WireMockServer.Start();
        var options = new SalesforceOptions
        {
            LoginUrl = server.Url!,
            AuthFlow = SalesforceAuthFlow.JwtBearer,
            ClientId = "3MVG9-test-consumer-key",
            Username = "integration@acme.example.uat",
            PrivateKeyPath = WritePem(),
            JwtAudience = "https://test.salesforce.com",
        };
        server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).RespondWith(Json(
            $$"""{"access_token":"T","instance_url":"{{server.Url}}","id":"x","token_type":"Bearer","issued_at":"1706695200000"}"""));
        using var connection = SalesforceClientFactory.Create(options, timeProvider: clock);

        await connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);

        var assertion = Form(Body(server.LogEntries.Single()))["assertion"];
        var jwt = new JsonWebToken(assertion);
        Assert.Equal(["https://test.salesforce.com"], jwt.Audiences);
        Assert.Equal(new DateTime(2024, 1, 31, 10, 3, 0, DateTimeKind.Utc), jwt.ValidTo);
    }

    [Fact]
    public async Task Pfx_keys_are_accepted()
    {
        var request = new CertificateRequest("CN=sfcompanion", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "s3cret"));
        using var sf = JwtServer(path, o => o.PrivateKeyPassword = "s3cret");

        await sf.Connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);

        var assertion = Form(Body(sf.Requests.Single()))["assertion"];
        await ValidateAssertionAsync(assertion, sf.Url.TrimEnd('/'), new X509SecurityKey(certificate));
    }

    [Fact]
    public async Task Client_credentials_posts_the_consumer_key_and_secret()
    {
        using var sf = Create();

        var token = await sf.Connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);

        var form = Form(Body(sf.Requests.Single()));
        Assert.Equal("client_credentials", form["grant_type"]);
        Assert.Equal("3MVG9-test-consumer-key", form["client_id"]);
        Assert.Equal("test-secret", form["client_secret"]);
        Assert.Equal(new Uri(sf.Url), token.InstanceUrl);
        Assert.DoesNotContain("00D-TOKEN-1", token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cached_token_is_reused_until_its_refresh_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var sf = Create(o => o.TokenLifetime = TimeSpan.FromMinutes(30));
        using var connection = SalesforceClientFactory.Create(sf.Options, timeProvider: clock);

        var first = await connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);
        var again = await connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(29));
        var renewed = await connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken);

        Assert.Same(first, again);
        Assert.NotSame(first, renewed);
        Assert.Equal(2, sf.TokenRequests);
    }

    [Theory]
    [InlineData("invalid_grant", "user hasn't approved this consumer", "pre-authorized")]
    [InlineData("invalid_grant", "audience is invalid", "https://test.salesforce.com for sandboxes")]
    [InlineData("invalid_grant", "expired authorization code", "clock")]
    [InlineData("invalid_client_id", "client identifier invalid", "consumer key")]
    [InlineData("invalid_grant", "authentication failure", "certificate uploaded to the app")]
    public async Task OAuth_errors_name_the_likely_cause(string error, string description, string expected)
    {
        using var sf = JwtServer(WritePem());
        sf.Server.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).AtPriority(0)
            .RespondWith(Json($$"""{"error":"{{error}}","error_description":"{{description}}"}""", 400));

        var failure = await Assert.ThrowsAsync<SalesforceAuthException>(() => sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(error, failure.Error);
        Assert.Equal(description, failure.ErrorDescription);
        Assert.Equal(HttpStatusCode.BadRequest, failure.HttpStatus);
        Assert.Contains(expected, failure.Explanation, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.Empty(sf.ApiRequests);
        Assert.Equal(1, sf.TokenRequests);
    }

    [Fact]
    public async Task Unreadable_private_key_is_an_auth_error_naming_the_file()
    {
        var path = Path.Combine(_directory, "broken.pem");
        await File.WriteAllTextAsync(path, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", TestContext.Current.CancellationToken);
        using var sf = JwtServer(path);

        var failure = await Assert.ThrowsAsync<SalesforceAuthException>(() => sf.Connection.Tokens.GetTokenAsync(TestContext.Current.CancellationToken));

        Assert.Contains(path, failure.Explanation, StringComparison.Ordinal);
        Assert.Empty(sf.Requests);
    }

    [Theory]
    [InlineData("https://login.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://test.salesforce.com", "https://test.salesforce.com")]
    [InlineData("https://acme.my.salesforce.com", "https://login.salesforce.com")]
    [InlineData("https://acme--uat.sandbox.my.salesforce.com", "https://test.salesforce.com")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    public void Audience_follows_the_login_url(string loginUrl, string audience) =>
        Assert.Equal(audience, SalesforceTokenProvider.ResolveAudience(new SalesforceOptions { LoginUrl = loginUrl }));
}
