using System.Buffers;
using System.Text;
using System.Text.Json;

namespace SfCompanion.Storage;

/// <summary>
/// A document's look-up terms as the SQLite adapter keeps them in the document's row (<c>documents.terms</c>):
/// <c>[["Email","anne@acme.fr"],["OwnerId","005…"]]</c>, or NULL for none. Replacing or deleting the document then
/// removes exactly these rows of <c>document_index</c> by its primary key.
/// </summary>
internal static class DocumentTerms
{
    public static string? Format(IReadOnlyList<IndexTerm>? terms)
    {
        if (terms is not { Count: > 0 })
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(64 * terms.Count);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var term in terms)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(term.Name);
                writer.WriteStringValue(term.Value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<(string Name, string Value)> Parse(string? terms)
    {
        var parsed = new List<(string, string)>();
        if (string.IsNullOrEmpty(terms))
        {
            return parsed;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(terms));
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var name = reader.GetString()!;
            reader.Read();
            var value = reader.GetString()!;
            reader.Read(); // ]
            parsed.Add((name, value));
        }

        return parsed;
    }
}
