using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SfCompanion.Emulator.Api;

/// <summary>One-time, short-lived authorization codes of the web server flow.</summary>
internal sealed class AuthorizationCodes(TimeProvider time, TimeSpan lifetime)
{
    private readonly ConcurrentDictionary<string, AuthorizationGrant> _codes = new(StringComparer.Ordinal);

    public string Issue(string clientId, string redirectUri, string? codeChallenge, string userId, string scope)
    {
        var now = time.GetUtcNow();
        foreach (var (stale, grant) in _codes)
        {
            if (grant.Expires <= now)
            {
                _codes.TryRemove(stale, out _);
            }
        }

        // Salesforce's codes are base64 with padding, e.g. "aPrx…Q==": clients must URL-encode them.
        var code = "aPrx" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        _codes[code] = new AuthorizationGrant(clientId, redirectUri, codeChallenge, userId, scope, now + lifetime);
        return code;
    }

    /// <summary>Takes the code out (any attempt uses it up, right or wrong); null when unknown, used or expired.</summary>
    public AuthorizationGrant? Redeem(string code) =>
        _codes.TryRemove(code, out var grant) && grant.Expires > time.GetUtcNow() ? grant : null;

    /// <summary>True when <paramref name="verifier"/> hashes (SHA-256, base64url without padding) to <paramref name="challenge"/>.</summary>
    public static bool VerifierMatches(string verifier, string challenge)
    {
        if (verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var hashed = Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(hashed), System.Text.Encoding.ASCII.GetBytes(challenge));
    }
}
