using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfCompanion.Salesforce;

/// <summary>An access token and the instance it is valid for.</summary>
public sealed record SalesforceToken(string AccessToken, Uri InstanceUrl, DateTimeOffset IssuedAt, DateTimeOffset RefreshAt, string? IdentityUrl)
{
    // Keeps the token out of logs and exception messages.
    public override string ToString() => $"SalesforceToken {{ InstanceUrl = {InstanceUrl}, IssuedAt = {IssuedAt:u}, RefreshAt = {RefreshAt:u} }}";
}

/// <summary>
/// Obtains and caches access tokens (JWT bearer or client credentials). One token request at a time;
/// tokens are renewed before <see cref="SalesforceOptions.TokenLifetime"/> ends and after a 401.
/// </summary>
public sealed partial class SalesforceTokenProvider : IDisposable
{
    /// <summary>Salesforce accepts JWT assertions valid for at most 3 minutes.</summary>
    internal static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(3);

    private readonly ISalesforceOAuthApi _oauth;
    private readonly IOptionsMonitor<SalesforceOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SalesforceTokenProvider> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SalesforceToken? _current;
    private RSA? _signingKey;

    internal SalesforceTokenProvider(ISalesforceOAuthApi oauth, IOptionsMonitor<SalesforceOptions> options, TimeProvider timeProvider, ILogger<SalesforceTokenProvider> logger)
    {
        _oauth = oauth;
        _options = options;
        _time = timeProvider;
        _logger = logger;
    }

    /// <summary>A valid token, requesting a new one when none is cached or the cached one is due for renewal.</summary>
    public async Task<SalesforceToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && _time.GetUtcNow() < current.RefreshAt)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _current;
            if (current is not null && _time.GetUtcNow() < current.RefreshAt)
            {
                return current;
            }

            var fresh = await RequestTokenAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, fresh);
            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="rejected"/> so the next <see cref="GetTokenAsync"/> authenticates again; a newer token is kept.</summary>
    public void Invalidate(SalesforceToken rejected) => Interlocked.CompareExchange(ref _current, null, rejected);

    private async Task<SalesforceToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var form = options.AuthFlow switch
        {
            SalesforceAuthFlow.JwtBearer => new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
                ["assertion"] = CreateAssertion(options),
            },
            SalesforceAuthFlow.ClientCredentials => new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.ClientId,
                ["client_secret"] = options.ClientSecret ?? "",
            },
            _ => throw new InvalidOperationException($"Unsupported auth flow {options.AuthFlow}."),
        };

        HttpResponseMessage response;
        try
        {
            response = await RefitCalls.SendAsync(() => _oauth.RequestTokenAsync(form, cancellationToken)).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new SalesforceAuthException(null, ex.Message, $"The token endpoint {options.LoginUrl}/services/oauth2/token could not be reached; check Salesforce:LoginUrl and the network.", null, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (error, description) = ParseOAuthError(body);
                var explanation = OAuthErrorExplainer.Explain(options, error, description, response.StatusCode);
                LogAuthFailed(_logger, options.AuthFlow, (int)response.StatusCode, error, description);
                throw new SalesforceAuthException(error, description, explanation, response.StatusCode);
            }

            var token = ParseToken(body, options);
            LogAuthenticated(_logger, options.AuthFlow, token.InstanceUrl);
            return token;
        }
    }

    private SalesforceToken ParseToken(string body, SalesforceOptions options)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var accessToken = root.TryGetProperty("access_token", out var at) ? at.GetString() : null;
        var instance = root.TryGetProperty("instance_url", out var iu) ? iu.GetString() : null;
        if (string.IsNullOrEmpty(accessToken) || !Uri.TryCreate(instance, UriKind.Absolute, out var instanceUrl))
        {
            throw new SalesforceAuthException(null, "The token response lacks access_token or instance_url.", "The LoginUrl does not point at a Salesforce token endpoint.", HttpStatusCode.OK);
        }

        var now = _time.GetUtcNow();
        var issuedAt = now;
        if (root.TryGetProperty("issued_at", out var ia) && ia.ValueKind == JsonValueKind.String
            && long.TryParse(ia.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        var lifetime = options.TokenLifetime;
        if (root.TryGetProperty("expires_in", out var ei) && ei.ValueKind == JsonValueKind.Number && ei.TryGetInt32(out var seconds) && seconds > 0)
        {
            lifetime = TimeSpan.FromSeconds(seconds);
        }

        // Renew a little early so a request never leaves with a token about to expire; the lifetime is
        // counted from our clock because the server's issued_at may be skewed.
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 10));
        var identity = root.TryGetProperty("id", out var id) ? id.GetString() : null;
        return new SalesforceToken(accessToken, instanceUrl, issuedAt, now + lifetime - margin, identity);
    }

    internal string CreateAssertion(SalesforceOptions options)
    {
        var key = _signingKey ??= LoadPrivateKey(options);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.ClientId,
            Audience = ResolveAudience(options),
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = options.Username ?? "" },
            Expires = (_time.GetUtcNow() + AssertionLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
        };
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(descriptor);
    }

    /// <summary>The <c>aud</c> claim: login or test for production, sandboxes and My Domain; the login URL otherwise.</summary>
    public static string ResolveAudience(SalesforceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.JwtAudience))
        {
            return options.JwtAudience.TrimEnd('/');
        }

        var login = new Uri(options.LoginUrl);
        var host = login.Host.ToLowerInvariant();
        if (host == "test.salesforce.com" || host.EndsWith(".sandbox.my.salesforce.com", StringComparison.Ordinal))
        {
            return "https://test.salesforce.com";
        }

        if (host == "login.salesforce.com" || host.EndsWith(".my.salesforce.com", StringComparison.Ordinal))
        {
            return "https://login.salesforce.com";
        }

        return login.GetLeftPart(UriPartial.Authority);
    }

    private static RSA LoadPrivateKey(SalesforceOptions options)
    {
        var path = options.PrivateKeyPath ?? throw new SalesforceAuthException(null, null, "Salesforce:PrivateKeyPath is not set.");
        try
        {
            var bytes = File.ReadAllBytes(path);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                var rsa = RSA.Create();
                if (text.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
                {
                    rsa.ImportFromEncryptedPem(text, options.PrivateKeyPassword ?? "");
                }
                else
                {
                    rsa.ImportFromPem(text);
                }

                return rsa;
            }

            using var certificate = X509CertificateLoader.LoadPkcs12(bytes, options.PrivateKeyPassword, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.GetRSAPrivateKey()
                ?? throw new SalesforceAuthException(null, null, $"The PFX file '{path}' holds no RSA private key.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new SalesforceAuthException(
                null,
                ex.Message,
                $"The private key '{path}' could not be read. It must be a PEM (PKCS#1 or PKCS#8, encrypted PKCS#8 with PrivateKeyPassword) or a PFX/P12 file with its password.",
                null,
                ex);
        }
    }

    private static (string? Error, string? Description) ParseOAuthError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return (
                    root.TryGetProperty("error", out var e) ? e.GetString() : null,
                    root.TryGetProperty("error_description", out var d) ? d.GetString() : null);
            }

            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                var first = SalesforceErrorParser.FromObject(root[0], HttpStatusCode.BadRequest);
                return (first.ErrorCode, first.Message);
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through with an excerpt.
        }

        return (null, body.Length > 200 ? body[..200] : body);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _signingKey?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Authenticated with Salesforce ({Flow}); instance {InstanceUrl}")]
    private static partial void LogAuthenticated(ILogger logger, SalesforceAuthFlow flow, Uri instanceUrl);

    [LoggerMessage(Level = LogLevel.Error, Message = "Salesforce authentication ({Flow}) failed with HTTP {Status}: {Error} {Description}")]
    private static partial void LogAuthFailed(ILogger logger, SalesforceAuthFlow flow, int status, string? error, string? description);
}
