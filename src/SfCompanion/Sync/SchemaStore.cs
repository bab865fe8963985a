using System.Text.Json;
using SfCompanion.Salesforce;
using SfCompanion.Storage;

namespace SfCompanion.Sync;

/// <summary>
/// The describe of each synced object (field types, lookups and their relationship names, picklist values), kept in
/// the store (kind <c>sobject-describe</c>) by the sync so computations can type-check against the org's schema.
/// </summary>
public sealed class SchemaStore(IDocumentStore store)
{
    private const string Kind = "sobject-describe";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SObjectDescribe?> GetAsync(string sobject, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Kind, sobject, cancellationToken) is { } doc ? JsonSerializer.Deserialize<SObjectDescribe>(doc.Data, Json) : null;

    public Task SaveAsync(SObjectDescribe describe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(describe);
        return store.PutAsync(Kind, new DocumentWrite(describe.Name, JsonSerializer.Serialize(describe, Json)), cancellationToken);
    }
}
