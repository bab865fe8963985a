using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using SfCompanion.Storage;

namespace SfCompanion.Sync;

/// <summary>
/// How a mirrored record is stored: <c>["Lead:1f0c…", "00Q…", "Anne", null, …]</c> — a layout key, then the values in
/// the layout's field order. A layout (the object's field names, in order) is stored once, as a document of kind
/// <see cref="LayoutKind"/> keyed by the object and a hash of the names, so records do not repeat their field names
/// and every writer derives the same key for the same names (no coordination between replicas).
/// Documents written before this encoding are JSON objects (<c>{"Id": …}</c>); they are read as they are and take
/// the compact form when next written, so existing data files need no migration.
/// </summary>
internal sealed class MirrorEncoding(IDocumentStore store)
{
    public const string LayoutKind = "mirror-layout";

    // Accented names and cities stay as they are (the default encoder writes é as \u00e9); HTML-sensitive
    // characters are still escaped, which does not matter here since nothing renders these documents.
    private static readonly JavaScriptEncoder TextEncoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = TextEncoder };
    private static readonly JsonSerializerOptions LegacyJson = new(JsonSerializerDefaults.General);

    private readonly ConcurrentDictionary<string, string[]> _namesByKey = new(StringComparer.Ordinal);

    // The layouts last used per object, by their names in order; a bulk load uses one layout for all its records.
    private readonly ConcurrentDictionary<string, Layout[]> _recent = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An encoder for records of <paramref name="type"/>; its new layouts are stored by <see cref="SaveLayoutsAsync"/>.</summary>
    public RecordEncoder Begin(string type) => new(this, type);

    /// <summary>Stores the layouts an encoder created; call before writing the records that use them.</summary>
    public async Task SaveLayoutsAsync(RecordEncoder encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        foreach (var layout in encoder.Created)
        {
            await store.PutAsync(LayoutKind, new DocumentWrite(layout.Key, JsonSerializer.Serialize(layout.Names, LegacyJson)), cancellationToken);
            _namesByKey[layout.Key] = layout.Names;
        }

        encoder.Created.Clear();
    }

    /// <summary>The record's fields, from either form of a stored document.</summary>
    public async ValueTask<Dictionary<string, string?>> DecodeAsync(string data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0 || data[0] != '[')
        {
            var legacy = JsonSerializer.Deserialize<Dictionary<string, string?>>(data, LegacyJson);
            return legacy is null
                ? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string?>(legacy, StringComparer.OrdinalIgnoreCase);
        }

        // The layout key has no characters JSON escapes (an object name, ':' and hex digits).
        var end = data.IndexOf('"', 2);
        var key = data[2..end];
        var names = _namesByKey.TryGetValue(key, out var known) ? known : await LoadLayoutAsync(key, cancellationToken);
        return Decode(data, names);
    }

    private async Task<string[]> LoadLayoutAsync(string key, CancellationToken cancellationToken)
    {
        var doc = await store.GetAsync(LayoutKind, key, cancellationToken)
            ?? throw new InvalidOperationException($"The mirror's record layout '{key}' is missing from the store ({LayoutKind}); the store is damaged: restore a backup or delete the mirror's sync state to read the org again.");
        var names = JsonSerializer.Deserialize<string[]>(doc.Data, LegacyJson) ?? [];
        _namesByKey[key] = names;
        return names;
    }

    private static Dictionary<string, string?> Decode(string data, string[] names)
    {
        var fields = new Dictionary<string, string?>(names.Length, StringComparer.OrdinalIgnoreCase);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(data.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(data, bytes);
            var reader = new Utf8JsonReader(bytes.AsSpan(0, length));
            reader.Read(); // [
            reader.Read(); // the layout key
            var i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                fields[names[i++]] = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        return fields;
    }

    /// <summary>The layout of a field set: reused when the names are those of a recent layout of the object, in the same order.</summary>
    private Layout LayoutOf(string type, IReadOnlyDictionary<string, string?> fields, List<Layout> created)
    {
        var recent = _recent.GetValueOrDefault(type) ?? [];
        foreach (var layout in recent)
        {
            if (layout.Matches(fields))
            {
                return layout;
            }
        }

        var names = fields.Keys.ToArray();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', names)));
        var made = new Layout(type + ":" + Convert.ToHexStringLower(hash, 0, 8), names);
        if (!_namesByKey.ContainsKey(made.Key) && !created.Any(c => c.Key == made.Key))
        {
            created.Add(made);
        }

        // A few layouts per object at most in practice (the synced fields, and records merged with written fields).
        _recent[type] = [made, .. recent.Take(7)];
        return made;
    }

    /// <summary>An object's field names in the order their values are stored.</summary>
    internal sealed record Layout(string Key, string[] Names)
    {
        public bool Matches(IReadOnlyDictionary<string, string?> fields)
        {
            if (fields.Count != Names.Length)
            {
                return false;
            }

            var i = 0;
            foreach (var name in fields.Keys)
            {
                if (!string.Equals(name, Names[i++], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Encodes records of one object, reusing one buffer; the layouts it creates are saved by <see cref="SaveLayoutsAsync"/>.</summary>
    public sealed class RecordEncoder : IDisposable
    {
        private readonly MirrorEncoding _owner;
        private readonly string _type;
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _writer;

        internal RecordEncoder(MirrorEncoding owner, string type)
        {
            _owner = owner;
            _type = type;
            _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        }

        internal List<Layout> Created { get; } = [];

        public string Encode(IReadOnlyDictionary<string, string?> fields)
        {
            ArgumentNullException.ThrowIfNull(fields);
            var layout = _owner.LayoutOf(_type, fields, Created);
            _buffer.ResetWrittenCount();
            _writer.Reset();
            _writer.WriteStartArray();
            _writer.WriteStringValue(layout.Key);
            // The layout matched the fields in their order: their values come in the layout's order.
            foreach (var (_, value) in fields)
            {
                if (value is null)
                {
                    _writer.WriteNullValue();
                }
                else
                {
                    _writer.WriteStringValue(value);
                }
            }

            _writer.WriteEndArray();
            _writer.Flush();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }

        public void Dispose() => _writer.Dispose();
    }
}
