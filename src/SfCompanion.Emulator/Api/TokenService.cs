using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfCompanion.Emulator.Api;

/// <summary>Issues and checks access tokens for the OAuth 2.0 client-credentials, JWT bearer and web server (authorization code) flows.</summary>
internal sealed class TokenService(EmulatorOptions options, Func<string> baseUrl, Func<string, string?> activeUserIdByUsername, string organizationId, AuthorizationCodes codes)
{
    private readonly ConcurrentDictionary<string, (string UserId, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);

    public void ExpireAll() => _tokens.Clear();

    /// <summary>The user id behind a bearer token, or null when the token is unknown or expired.</summary>
    public string? Validate(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || !(authorization[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase) || authorization[..space].Equals("OAuth", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var token = authorization[(space + 1)..].Trim();
        if (!_tokens.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (entry.Expires <= options.TimeProvider.GetUtcNow())
        {
            _tokens.TryRemove(token, out _);
            return null;
        }

        return entry.UserId;
    }

    public async Task<IResult> HandleTokenRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return OAuthError("unsupported_grant_type", "grant type not supported");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var grantType = form["grant_type"].ToString();
        return grantType switch
        {
            "client_credentials" => ClientCredentials(request, form),
            "urn:ietf:params:oauth:grant-type:jwt-bearer" => await JwtBearerAsync(form["assertion"].ToString()),
            "authorization_code" => AuthorizationCode(request, form),
            _ => OAuthError("unsupported_grant_type", "grant type not supported"),
        };
    }

    private static (string ClientId, string ClientSecret) ClientOf(HttpRequest request, IFormCollection form)
    {
        var clientId = form["client_id"].ToString();
        var clientSecret = form["client_secret"].ToString();
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                clientId = Uri.UnescapeDataString(decoded[..colon]);
                clientSecret = Uri.UnescapeDataString(decoded[(colon + 1)..]);
            }
        }

        return (clientId, clientSecret);
    }

    private IResult AuthorizationCode(HttpRequest request, IFormCollection form)
    {
        var (clientId, clientSecret) = ClientOf(request, form);
        if (!FixedTimeEquals(clientId, options.ClientId))
        {
            return OAuthError("invalid_client_id", "client identifier invalid");
        }

        if ((clientSecret.Length > 0 || options.RequireSecretForWebServerFlow) && !FixedTimeEquals(clientSecret, options.ClientSecret))
        {
            return OAuthError("invalid_client", "invalid client credentials");
        }

        // Any attempt uses the code up, so a code seen by someone else cannot be tried again.
        var grant = codes.Redeem(form["code"].ToString());
        if (grant is null || !string.Equals(grant.ClientId, clientId, StringComparison.Ordinal))
        {
            return OAuthError("invalid_grant", "invalid authorization code");
        }

        if (!string.Equals(grant.RedirectUri, form["redirect_uri"].ToString(), StringComparison.Ordinal))
        {
            return OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration");
        }

        var verifier = form["code_verifier"].ToString();
        if (grant.CodeChallenge is not null && !AuthorizationCodes.VerifierMatches(verifier, grant.CodeChallenge))
        {
            return OAuthError("invalid_grant", "invalid code verifier");
        }

        if (grant.CodeChallenge is null && verifier.Length > 0)
        {
            return OAuthError("invalid_grant", "invalid code verifier");
        }

        return Issue(grant.UserId, grant.Scope);
    }

    private IResult ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var (clientId, clientSecret) = ClientOf(request, form);
        if (!FixedTimeEquals(clientId, options.ClientId) || !FixedTimeEquals(clientSecret, options.ClientSecret))
        {
            return OAuthError("invalid_client", "invalid client credentials");
        }

        var userId = activeUserIdByUsername(options.Username);
        return userId is null ? OAuthError("invalid_grant", "no client credentials user enabled") : Issue(userId);
    }

    private async Task<IResult> JwtBearerAsync(string assertion)
    {
        if (options.JwtPublicKey is null)
        {
            return OAuthError("invalid_grant", "invalid assertion");
        }

        var handler = new JsonWebTokenHandler();
        var audiences = options.JwtAudiences.Append(baseUrl()).ToList();
        var result = await handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(options.JwtPublicKey),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = true,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return OAuthError("invalid_grant", "invalid assertion");
        }

        if (!string.Equals(jwt.Issuer, options.ClientId, StringComparison.Ordinal))
        {
            return OAuthError("invalid_client_id", "client identifier invalid");
        }

        if (!jwt.Audiences.Any(a => audiences.Contains(a.TrimEnd('/'), StringComparer.OrdinalIgnoreCase)))
        {
            return OAuthError("invalid_grant", "audience is invalid");
        }

        if (jwt.ValidTo <= options.TimeProvider.GetUtcNow().UtcDateTime)
        {
            return OAuthError("invalid_grant", "expired authorization code");
        }

        var userId = activeUserIdByUsername(jwt.Subject);
        return userId is null ? OAuthError("invalid_grant", "user hasn't approved this consumer") : Issue(userId);
    }

    public string IssueFor(string userId)
    {
        var token = $"{organizationId[..15]}!{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48))}";
        _tokens[token] = (userId, options.TimeProvider.GetUtcNow() + options.AccessTokenLifetime);
        return token;
    }

    private IResult Issue(string userId, string scope = "api")
    {
        var token = IssueFor(userId);
        var now = options.TimeProvider.GetUtcNow();
        var issuedAt = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var id = $"{baseUrl()}/id/{organizationId}/{userId}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(id + issuedAt)));
        return Results.Json(new Dictionary<string, string>
        {
            ["access_token"] = token,
            ["instance_url"] = baseUrl(),
            ["id"] = id,
            ["token_type"] = "Bearer",
            ["issued_at"] = issuedAt,
            ["signature"] = signature,
            ["scope"] = scope,
        });
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static IResult OAuthError(string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: 400);
}
