using System.Globalization;
using System.Text.Json;
using SfCompanion.Storage;

namespace SfCompanion.Rules;

/// <summary>
/// Definitions kept by name with every earlier version readable (kind <c>{kind}</c> for the current version,
/// <c>{kind}-version</c> for the history, key <c>name/000042</c>). Saving writes the history first, then the
/// current version with optimistic concurrency, so two admins saving at once both land as successive versions.
/// </summary>
public sealed class VersionedStore<T>(IDocumentStore store, string kind, TimeProvider time)
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string HistoryKind => kind + "-version";

    public async Task<Versioned<T>?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await store.GetAsync(kind, name, cancellationToken) is { } doc ? Read(doc) : null;

    public async Task<IReadOnlyList<Versioned<T>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var items = new List<Versioned<T>>();
        await foreach (var doc in store.ListAllAsync(kind, 500, cancellationToken))
        {
            items.Add(Read(doc));
        }

        return items;
    }

    public async Task<Versioned<T>> SaveAsync(string name, T definition, string changedBy, bool deleted = false, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var current = await store.GetAsync(kind, name, cancellationToken);
            // After a deletion there is no current version: the history goes on from its last one, never over it.
            var version = (current is null ? await LatestVersionAsync(name, cancellationToken) : Read(current).Version) + 1;
            var saved = new Versioned<T>(name, version, definition, changedBy, time.GetUtcNow(), deleted);
            var data = JsonSerializer.Serialize(saved, Json);
            try
            {
                // Claims the version number: a save that took it first makes this one the next version.
                await store.PutAsync(HistoryKind, new DocumentWrite(HistoryKey(name, version), data, ExpectedVersion: 0), cancellationToken);
                if (deleted)
                {
                    await store.DeleteAsync(kind, name, current?.Version, cancellationToken);
                }
                else
                {
                    await store.PutAsync(kind, new DocumentWrite(name, data, current?.Version ?? 0), cancellationToken);
                }

                return saved;
            }
            catch (ConcurrencyConflictException)
            {
                // Saved by someone else meanwhile: this save becomes the next version.
            }
        }
    }

    /// <summary>Deletes <paramref name="current"/>: a last version marked deleted, so its history stays readable.</summary>
    public Task<Versioned<T>> DeleteAsync(Versioned<T> current, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        return SaveAsync(current.Name, current.Definition, changedBy, deleted: true, cancellationToken);
    }

    /// <summary>The highest version in the history (0 when none).</summary>
    private async Task<int> LatestVersionAsync(string name, CancellationToken cancellationToken)
    {
        const int PageSize = 1000;
        string? after = null;
        var latest = 0;
        while (true)
        {
            var page = await store.ListAsync(HistoryKind, keyPrefix: name + "/", afterKey: after, limit: PageSize, cancellationToken: cancellationToken);
            if (page.Items.Count > 0)
            {
                latest = Math.Max(latest, Read(page.Items[^1]).Version);
                after = page.Items[^1].Key;
            }

            if (page.Items.Count < PageSize)
            {
                return latest;
            }
        }
    }

    public async Task<IReadOnlyList<Versioned<T>>> HistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        var page = await store.ListAsync(HistoryKind, keyPrefix: name + "/", limit: 1000, cancellationToken: cancellationToken);
        return [.. page.Items.Select(Read).OrderByDescending(v => v.Version)];
    }

    public async Task<Versioned<T>?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        await store.GetAsync(HistoryKind, HistoryKey(name, version), cancellationToken) is { } doc ? Read(doc) : null;

    private static string HistoryKey(string name, int version) => name + "/" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static Versioned<T> Read(StoredDocument doc) => JsonSerializer.Deserialize<Versioned<T>>(doc.Data, Json)!;
}
