using System.Text.Json;
using SfCompanion.Storage;

namespace SfCompanion.Sync;

/// <summary>Where the sync of one object stands; saved after every page so a crash resumes where it stopped.</summary>
public sealed record SyncState
{
    public required string Object { get; init; }

    /// <summary>Highest <c>SystemModstamp</c> fully written to the mirror; incremental reads start here minus the overlap.</summary>
    public DateTimeOffset? Watermark { get; init; }

    public bool InitialComplete { get; init; }

    /// <summary><c>rest</c> or <c>bulk</c> for the initial load, <c>incremental</c> or <c>full</c> afterwards.</summary>
    public string? Mode { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }

    public DateTimeOffset? LastFullSyncAt { get; init; }

    /// <summary>
    /// When the last completed incremental read started (local clock). Records stamped more than the overlap before it
    /// were visible to it, so the next read starts at the later of that point and the overlap before the watermark.
    /// </summary>
    public DateTimeOffset? LastIncrementalStartedAt { get; init; }

    public long Records { get; init; }

    public string? LastError { get; init; }

    /// <summary>The fields the last full read fetched; when fields are added since, the next run reads everything again.</summary>
    public IReadOnlyList<string>? Fields { get; init; }
}

/// <summary>Sync states per object in the store (kind <c>sync-state</c>).</summary>
public sealed class SyncStateStore(IDocumentStore store)
{
    private const string Kind = "sync-state";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SyncState?> GetAsync(string sobject, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Kind, sobject, cancellationToken) is { } doc ? JsonSerializer.Deserialize<SyncState>(doc.Data, Json) : null;

    public Task SaveAsync(SyncState state, CancellationToken cancellationToken = default) =>
        store.PutAsync(Kind, new DocumentWrite(state.Object, JsonSerializer.Serialize(state, Json)), cancellationToken);

    public async Task<IReadOnlyList<SyncState>> ListAsync(CancellationToken cancellationToken = default)
    {
        var page = await store.ListAsync(Kind, limit: 1000, cancellationToken: cancellationToken);
        return page.Items.Select(d => JsonSerializer.Deserialize<SyncState>(d.Data, Json)!).ToList();
    }
}
