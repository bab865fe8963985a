using System.Collections.Concurrent;

namespace SfCompanion.Salesforce;

/// <summary>
/// Counts HTTP calls per operation (<see cref="SalesforceOperations"/>). Every attempt that reaches the
/// network counts, retries included, so the figures match what the org bills.
/// </summary>
public sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    /// <summary>Calls billed against the org's API limit (everything except OAuth token requests).</summary>
    public long ApiCalls => _counts.Where(kv => kv.Key != SalesforceOperations.AuthToken).Sum(kv => kv.Value);

    public long this[string operation] => _counts.TryGetValue(operation, out var count) ? count : 0;

    public void Increment(string operation) => _counts.AddOrUpdate(operation, 1, static (_, count) => count + 1);

    /// <summary>A point-in-time copy, sorted by operation name.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        new SortedDictionary<string, long>(_counts.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    public override string ToString() => string.Join(", ", Snapshot().Select(kv => $"{kv.Key}={kv.Value}"));
}
