namespace SfCompanion.Storage;

public static class LogStoreExtensions
{
    /// <summary>Every entry of <paramref name="log"/> after <paramref name="afterSequence"/>, in order, read <paramref name="pageSize"/> at a time.</summary>
    public static async IAsyncEnumerable<LogEntry> ReadAllAsync(
        this ILogStore store, string log, long afterSequence = 0, int pageSize = 1000, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (true)
        {
            var page = await store.ReadAsync(log, afterSequence, pageSize, cancellationToken);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            afterSequence = page[^1].Sequence;
        }
    }
}
