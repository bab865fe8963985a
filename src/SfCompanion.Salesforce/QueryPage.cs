using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfCompanion.Salesforce;

/// <summary>One page of a SOQL query response.</summary>
public sealed class QueryPage<T>
{
    [JsonPropertyName("totalSize")]
    public int TotalSize { get; set; }

    [JsonPropertyName("done")]
    public bool Done { get; set; }

    /// <summary>Relative URL of the next page (<c>/services/data/v66.0/query/01g…-2000</c>), null on the last page.</summary>
    [JsonPropertyName("nextRecordsUrl")]
    public string? NextRecordsUrl { get; set; }

    [JsonPropertyName("records")]
    public List<T> Records { get; set; } = [];
}

/// <summary>
/// Parses query response pages. Public so benchmarks and tools can measure parsing without HTTP.
/// Records are <see cref="SObjectRecord"/> field bags or any type System.Text.Json can bind with <see cref="SalesforceJson.Options"/>.
/// </summary>
public static class QueryPageParser
{
    public static ValueTask<QueryPage<T>> ParseAsync<T>(Stream utf8Json, CancellationToken cancellationToken = default) =>
        ParseCoreAsync<T>(utf8Json, cancellationToken);

    public static QueryPage<SObjectRecord> Parse(Stream utf8Json) => Parse<SObjectRecord>(utf8Json);

    public static QueryPage<T> Parse<T>(Stream utf8Json) =>
        JsonSerializer.Deserialize<QueryPage<T>>(utf8Json, SalesforceJson.Options)
        ?? throw new JsonException("The query response was empty.");

    public static QueryPage<T> Parse<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<QueryPage<T>>(utf8Json, SalesforceJson.Options)
        ?? throw new JsonException("The query response was empty.");

    private static async ValueTask<QueryPage<T>> ParseCoreAsync<T>(Stream utf8Json, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<QueryPage<T>>(utf8Json, SalesforceJson.Options, cancellationToken).ConfigureAwait(false)
        ?? throw new JsonException("The query response was empty.");
}
