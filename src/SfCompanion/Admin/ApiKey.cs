namespace SfCompanion.Admin;

/// <summary>A stored API key. The secret itself is never stored: only its SHA-256 hash and a short display prefix.</summary>
public sealed record ApiKey
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Role { get; init; }

    /// <summary>The first characters of the key, enough to recognise it in a list; not a secret.</summary>
    public required string Prefix { get; init; }

    /// <summary>Lower-case hex SHA-256 of the full key.</summary>
    public required string Hash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public bool Revoked { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
