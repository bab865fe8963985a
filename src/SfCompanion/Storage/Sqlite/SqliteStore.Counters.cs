namespace SfCompanion.Storage;

/// <summary>Counters: one row per name in <c>counters</c>.</summary>
public sealed partial class SqliteStore : ICounterStore
{
    public async Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default) =>
        await WriteAsync(tx => (long)Scalar(tx, "INSERT INTO counters (name, value) VALUES ($name, $delta) ON CONFLICT (name) DO UPDATE SET value = value + $delta RETURNING value;",
            ("$name", name), ("$delta", delta))!, cancellationToken);

    public async Task<long> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await QueryScalarAsync("SELECT value FROM counters WHERE name = $name;", [("$name", name)], cancellationToken) is long v ? v : 0;
}
