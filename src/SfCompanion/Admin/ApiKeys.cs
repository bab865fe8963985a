using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Admin;

/// <summary>
/// Creates, verifies, lists and revokes API keys (store kind <c>api-key</c>, key = key id, indexed by hash).
/// Keys are 32 random bytes, so an unsalted SHA-256 is enough: there is nothing to brute-force.
/// </summary>
public sealed class ApiKeyService(IDocumentStore documents, ILeaseStore leases, TimeProvider time, IOptions<AdminOptions> options)
{
    public const string Kind = "api-key";
    public const string KeyPrefix = "sfc_";
    private const string HashIndex = "hash";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>Generates a key with <paramref name="role"/> and stores it hashed.</summary>
    public Task<CreatedApiKey> CreateAsync(string name, string role, CancellationToken cancellationToken = default)
    {
        return StoreAsync(name, role, NewSecret(), id: null, cancellationToken);
    }

    /// <summary>A new key: the prefix and 32 random bytes, base64url.</summary>
    internal static string NewSecret() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Stores a key whose secret is given (the configured bootstrap key). With an <paramref name="id"/>, fails if it exists.</summary>
    internal async Task<CreatedApiKey> StoreAsync(string name, string role, string secret, string? id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (!SfcRoles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}'.", nameof(role));
        }

        var key = new ApiKey
        {
            Id = id ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Name = name.Trim(),
            Role = role,
            Prefix = secret[..Math.Min(secret.Length, KeyPrefix.Length + 6)] + "…",
            Hash = HashOf(secret),
            CreatedAt = time.GetUtcNow(),
        };
        await documents.PutAsync(Kind, Write(key, expectedVersion: 0), cancellationToken);
        return new CreatedApiKey(key, secret);
    }

    /// <summary>The active key matching <paramref name="secret"/>, or null (unknown or revoked). Records "last used", throttled.</summary>
    public async Task<ApiKey?> VerifyAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Length > 512)
        {
            return null;
        }

        var hash = HashOf(secret);
        var found = await documents.FindAsync(Kind, new IndexTerm(HashIndex, hash), limit: 2, cancellationToken);
        if (found.Count == 0)
        {
            return null;
        }

        var doc = found[0];

        var key = Read(doc);
        // The index is a look-up aid; the comparison that decides is on the stored hash, in constant time.
        if (key.Revoked || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt.Value >= TimeSpan.FromSeconds(options.Value.LastUsedUpdateSeconds))
        {
            key = key with { LastUsedAt = now };
            try
            {
                await documents.PutAsync(Kind, Write(key, doc.Version), cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Another request recorded the use, or the key changed (revoked): never overwrite it with this copy.
            }
        }

        return key;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<ApiKey>();
        await foreach (var doc in documents.ListAllAsync(Kind, 500, cancellationToken))
        {
            keys.Add(Read(doc));
        }

        return keys.OrderBy(k => k.CreatedAt).ToList();
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => documents.CountAsync(Kind, cancellationToken);

    /// <summary>Revokes a key, refusing to revoke the last active admin key (nobody could manage keys afterwards).</summary>
    public async Task<RevokeOutcome> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        // Serialises revocations across replicas so two admins revoking each other's key cannot leave none.
        const string lease = "admin:api-keys";
        for (var attempt = 0; !await leases.TryAcquireAsync(lease, _owner, TimeSpan.FromSeconds(10), cancellationToken); attempt++)
        {
            if (attempt >= 50)
            {
                throw new InvalidOperationException("API keys are being changed by another request; try again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        try
        {
            if (await documents.GetAsync(Kind, id, cancellationToken) is not { } doc)
            {
                return RevokeOutcome.NotFound;
            }

            var key = Read(doc);
            if (key.Revoked)
            {
                return RevokeOutcome.AlreadyRevoked;
            }

            if (key.Role == SfcRoles.Admin)
            {
                var admins = (await ListAsync(cancellationToken)).Count(k => !k.Revoked && k.Role == SfcRoles.Admin && k.Id != id);
                if (admins == 0)
                {
                    return RevokeOutcome.LastAdmin;
                }
            }

            await documents.PutAsync(Kind, Write(key with { Revoked = true, RevokedAt = time.GetUtcNow() }, expectedVersion: null), cancellationToken);
            return RevokeOutcome.Revoked;
        }
        finally
        {
            await leases.ReleaseAsync(lease, _owner, CancellationToken.None);
        }
    }

    internal static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ApiKey Read(StoredDocument doc) => JsonSerializer.Deserialize<ApiKey>(doc.Data, Json)!;

    private static DocumentWrite Write(ApiKey key, long? expectedVersion) =>
        new(key.Id, JsonSerializer.Serialize(key, Json), expectedVersion, [new IndexTerm(HashIndex, key.Hash)]);
}
