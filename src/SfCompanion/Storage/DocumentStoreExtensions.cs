namespace SfCompanion.Storage;

public static class DocumentStoreExtensions
{
    /// <summary>Every document of <paramref name="kind"/> in key order, read <paramref name="pageSize"/> at a time.</summary>
    public static async IAsyncEnumerable<StoredDocument> ListAllAsync(
        this IDocumentStore store, string kind, int pageSize = 1000, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? after = null;
        do
        {
            var page = await store.ListAsync(kind, afterKey: after, limit: pageSize, cancellationToken: cancellationToken);
            foreach (var doc in page.Items)
            {
                yield return doc;
            }

            after = page.NextAfterKey;
        }
        while (after is not null);
    }
}
