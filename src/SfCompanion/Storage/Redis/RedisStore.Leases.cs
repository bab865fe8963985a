namespace SfCompanion.Storage;

/// <summary>Leases: a hash per lease with its holder (o) and expiry (e, ms from the store's clock).</summary>
public sealed partial class RedisStore : ILeaseStore
{
    // KEYS: lease. ARGV: owner, expiresAt, now (milliseconds from the caller's clock, so tests can move time).
    private const string AcquireScript = """
        local holder = redis.call('HMGET', KEYS[1], 'o', 'e')
        if holder[1] and holder[1] ~= ARGV[1] and tonumber(holder[2]) > tonumber(ARGV[3]) then return 0 end
        redis.call('HSET', KEYS[1], 'o', ARGV[1], 'e', ARGV[2])
        return 1
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'o') == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """;

    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        return (long)await _db.ScriptEvaluateAsync(AcquireScript, [_keys.Lease(name)], [owner, now + (long)duration.TotalMilliseconds, now]) == 1;
    }

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default) =>
        (long)await _db.ScriptEvaluateAsync(ReleaseScript, [_keys.Lease(name)], [owner]) == 1;

    public async Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        var values = await _db.HashGetAsync(_keys.Lease(name), ["o", "e"]);
        return !values[0].IsNull && (long)values[1] > NowMs() ? (string?)values[0] : null;
    }
}
