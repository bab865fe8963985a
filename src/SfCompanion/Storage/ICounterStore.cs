namespace SfCompanion.Storage;

/// <summary>Named 64-bit counters.</summary>
public interface ICounterStore
{
    Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default);

    Task<long> GetAsync(string name, CancellationToken cancellationToken = default);
}
