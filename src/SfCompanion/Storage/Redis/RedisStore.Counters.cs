namespace SfCompanion.Storage;

/// <summary>Counters: a string key per counter.</summary>
public sealed partial class RedisStore : ICounterStore
{
    public Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default) =>
        _db.StringIncrementAsync(_keys.Counter(name), delta);

    public async Task<long> GetAsync(string name, CancellationToken cancellationToken = default) =>
        OrZero(await _db.StringGetAsync(_keys.Counter(name)));
}
