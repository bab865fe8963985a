using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Recipients;

/// <summary>What a valid token says.</summary>
public sealed record RecipientClaim(string RecipientId, string KeyId, string? Purpose, DateTimeOffset? ExpiresAt)
{
    /// <summary>A stable, non-secret identifier of the token (for proof records), without the signature.</summary>
    public string TokenId => KeyId + "." + RecipientId + (Purpose is null ? string.Empty : "." + Purpose);
}

/// <summary>
/// Signed recipient tokens for URLs: <c>{keyId}.{recipientId}.{mac}</c>, or with a purpose and an expiry
/// <c>{keyId}.{recipientId}.{purpose}.{expiresUnix}.{mac}</c>. The MAC is HMAC-SHA256 truncated to 128 bits,
/// base64url. Keys rotate: any configured key verifies, the active one signs.
/// </summary>
public sealed class RecipientTokens
{
    private const int MacBytes = 16;
    private const int MaxTokenLength = 200;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly TimeProvider _time;

    public RecipientTokens(IOptions<RecipientTokenOptions> options, IDocumentStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var configured = options.Value;
        if (configured.Keys.Count > 0)
        {
            _keys = configured.Keys.ToDictionary(k => k.Id, k => Convert.FromBase64String(k.Secret), StringComparer.Ordinal);
            _activeKeyId = string.IsNullOrEmpty(configured.ActiveKeyId) ? configured.Keys[0].Id : configured.ActiveKeyId;
        }
        else
        {
            var generated = LoadOrCreateKey(store);
            _keys = new(StringComparer.Ordinal) { [generated.Id] = Convert.FromBase64String(generated.Secret) };
            _activeKeyId = generated.Id;
        }
    }

    /// <summary>For tests and tools: explicit keys.</summary>
    public RecipientTokens(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
        _activeKeyId = activeKeyId;
        _time = time;
    }

    private static TokenKey LoadOrCreateKey(IDocumentStore store)
    {
        const string kind = "token-keys";
        // Start-up path: the store is local or already connected.
        var existing = store.GetAsync(kind, "generated").GetAwaiter().GetResult();
        if (existing is not null)
        {
            return JsonSerializer.Deserialize<TokenKey>(existing.Data)!;
        }

        var key = new TokenKey { Id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2)), Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        try
        {
            store.PutAsync(kind, new DocumentWrite("generated", JsonSerializer.Serialize(key), ExpectedVersion: 0)).GetAwaiter().GetResult();
            return key;
        }
        catch (ConcurrencyConflictException)
        {
            // Another replica generated it first: use theirs.
            return JsonSerializer.Deserialize<TokenKey>(store.GetAsync(kind, "generated").GetAwaiter().GetResult()!.Data)!;
        }
    }

    /// <summary>The stable token of a recipient (lead or contact id), as written to <c>Sfc_Tracking_Token__c</c>.</summary>
    public string Issue(string recipientId)
    {
        ValidateRecipientId(recipientId);
        var body = _activeKeyId + "." + recipientId;
        return body + "." + Mac(_activeKeyId, body);
    }

    /// <summary>An expiring token for one purpose (e.g. <c>confirm-email</c>).</summary>
    public string IssueFor(string recipientId, string purpose, TimeSpan lifetime)
    {
        ValidateRecipientId(recipientId);
        if (purpose.Length is 0 or > 40 || !purpose.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException("A purpose is 1-40 letters, digits or '-'.", nameof(purpose));
        }

        var expires = (_time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = string.Join('.', _activeKeyId, recipientId, purpose, expires);
        return body + "." + Mac(_activeKeyId, body);
    }

    /// <summary>Verifies a token; null for anything malformed, tampered, signed by an unknown key, expired or for another purpose.</summary>
    public RecipientClaim? Verify(string? token, string? purpose = null)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length is not (3 or 5) || !_keys.TryGetValue(parts[0], out var key))
        {
            return null;
        }

        if (!MacMatches(key, token.AsSpan(0, token.LastIndexOf('.')), parts[^1]))
        {
            return null;
        }

        if (parts.Length == 3)
        {
            return purpose is null ? new RecipientClaim(parts[1], parts[0], null, null) : null;
        }

        if (purpose is null || parts[2] != purpose || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(unix);
        return expiresAt <= _time.GetUtcNow() ? null : new RecipientClaim(parts[1], parts[0], parts[2], expiresAt);
    }

    private static readonly int MacChars = System.Buffers.Text.Base64Url.GetEncodedLength(MacBytes);

    /// <summary>Whether <paramref name="mac"/> is exactly the MAC <see cref="WriteMac"/> gives <paramref name="body"/>; constant-time.</summary>
    private static bool MacMatches(byte[] key, ReadOnlySpan<char> body, string mac)
    {
        if (mac.Length != MacChars)
        {
            return false;
        }

        Span<char> expected = stackalloc char[MacChars];
        WriteMac(key, body, expected);
        return CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(mac.AsSpan()));
    }

    private string Mac(string keyId, string body)
    {
        Span<char> mac = stackalloc char[MacChars];
        WriteMac(_keys[keyId], body, mac);
        return new string(mac);
    }

    /// <summary>
    /// The token's MAC: HMAC-SHA256 of the UTF-8 body, first <see cref="MacBytes"/> bytes, base64url without padding.
    /// Allocation-free, since verification runs on every click.
    /// </summary>
    private static void WriteMac(byte[] key, ReadOnlySpan<char> body, Span<char> destination)
    {
        // Tokens are short (MaxTokenLength): their UTF-8 bytes fit on the stack.
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(body.Length)];
        var length = Encoding.UTF8.GetBytes(body, bytes);
        Span<byte> hash = stackalloc byte[32];
        var hmac = HmacFor(key);
        hmac.AppendData(bytes[..length]);
        hmac.GetHashAndReset(hash);
        System.Buffers.Text.Base64Url.EncodeToChars(hash[..MacBytes], destination);
    }

    /// <summary>One keyed HMAC per thread and key, reset after each use: a one-shot HMAC sets the key up on every click.</summary>
    [ThreadStatic]
    private static Dictionary<byte[], IncrementalHash>? t_hmacs;

    private static IncrementalHash HmacFor(byte[] key)
    {
        t_hmacs ??= new Dictionary<byte[], IncrementalHash>(ReferenceEqualityComparer.Instance);
        if (!t_hmacs.TryGetValue(key, out var hmac))
        {
            if (t_hmacs.Count >= 16)
            {
                // Keys come from configuration and live as long as the process; many keys only happen in tests.
                foreach (var old in t_hmacs.Values)
                {
                    old.Dispose();
                }

                t_hmacs.Clear();
            }

            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            t_hmacs[key] = hmac;
        }

        return hmac;
    }

    private static void ValidateRecipientId(string recipientId)
    {
        if (recipientId.Length is not (15 or 18) || !recipientId.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"'{recipientId}' is not a Salesforce record id.", nameof(recipientId));
        }
    }
}
