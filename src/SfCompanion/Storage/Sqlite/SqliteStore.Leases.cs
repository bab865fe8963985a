namespace SfCompanion.Storage;

/// <summary>Leases: one row per lease in <c>leases</c>, with its holder and expiry (milliseconds from the store's clock).</summary>
public sealed partial class SqliteStore : ILeaseStore
{
    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default) =>
        await WriteAsync(tx =>
        {
            var now = NowMs();
            return Execute(tx, """
                INSERT INTO leases (name, owner, expires_at) VALUES ($name, $owner, $expires)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE leases.owner = excluded.owner OR leases.expires_at <= $now;
                """,
                ("$name", name), ("$owner", owner), ("$expires", now + (long)duration.TotalMilliseconds), ("$now", now)) == 1;
        }, cancellationToken);

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default) =>
        await WriteAsync(tx => Execute(tx, "DELETE FROM leases WHERE name = $name AND owner = $owner;", ("$name", name), ("$owner", owner)) == 1, cancellationToken);

    public async Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default) =>
        await QueryScalarAsync("SELECT owner FROM leases WHERE name = $name AND expires_at > $now;", [("$name", name), ("$now", NowMs())], cancellationToken) as string;
}
