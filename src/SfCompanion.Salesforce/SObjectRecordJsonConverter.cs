using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfCompanion.Salesforce;

/// <summary>Reads Salesforce record JSON into <see cref="SObjectRecord"/> and writes the request format.</summary>
public sealed class SObjectRecordJsonConverter : JsonConverter<SObjectRecord>
{
    public override SObjectRecord? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var record = new SObjectRecord();
        ReadObject(ref reader, record, prefix: null, isRoot: true);
        return record;
    }

    private static void ReadObject(ref Utf8JsonReader reader, SObjectRecord record, string? prefix, bool isRoot)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A Salesforce record must be a JSON object.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "attributes" && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadAttributes(ref reader, record, isRoot);
                continue;
            }

            var key = prefix is null ? name : string.Concat(prefix, ".", name);
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    record[key] = reader.GetString();
                    break;
                case JsonTokenType.Number:
                    record[key] = reader.TryGetDecimal(out var d) ? d : reader.GetDouble();
                    break;
                case JsonTokenType.True:
                    record[key] = true;
                    break;
                case JsonTokenType.False:
                    record[key] = false;
                    break;
                case JsonTokenType.Null:
                    record[key] = null;
                    break;
                case JsonTokenType.StartObject:
                    var probe = reader;
                    if (IsQueryResult(ref probe))
                    {
                        record[key] = ReadChildRecords(ref reader);
                    }
                    else
                    {
                        ReadObject(ref reader, record, key, isRoot: false);
                    }

                    break;
                case JsonTokenType.StartArray:
                    // Not produced by SOQL for fields; kept raw so nothing is lost.
                    using (var doc = JsonDocument.ParseValue(ref reader))
                    {
                        record[key] = doc.RootElement.Clone();
                    }

                    break;
                default:
                    throw new JsonException($"Unexpected token {reader.TokenType} in field {key}.");
            }
        }
    }

    /// <summary>
    /// Skips the current value. The serializer buffers a converter's whole value before calling it, but while
    /// streaming a large page the reader is not on the final block, where <c>Skip()</c> throws; <c>TrySkip()</c> works.
    /// </summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new JsonException("A record's JSON value ended before it was complete.");
        }
    }

    private static void ReadAttributes(ref Utf8JsonReader reader, SObjectRecord record, bool isRoot)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (isRoot && name == "type" && reader.TokenType == JsonTokenType.String)
            {
                record.Type = reader.GetString();
            }
            else if (isRoot && name == "url" && reader.TokenType == JsonTokenType.String)
            {
                record.Url = reader.GetString();
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    // A child subquery is a nested query result ({"totalSize":..,"done":..,"records":[..]}), not a parent record.
    private static bool IsQueryResult(ref Utf8JsonReader probe)
    {
        var depth = probe.CurrentDepth;
        while (probe.Read() && !(probe.TokenType == JsonTokenType.EndObject && probe.CurrentDepth == depth))
        {
            if (probe.TokenType == JsonTokenType.PropertyName && probe.CurrentDepth == depth + 1)
            {
                if (probe.ValueTextEquals("records"u8))
                {
                    return true;
                }

                if (probe.ValueTextEquals("attributes"u8))
                {
                    return false;
                }

                probe.Read();
                SkipValue(ref probe);
            }
        }

        return false;
    }

    private static List<SObjectRecord> ReadChildRecords(ref Utf8JsonReader reader)
    {
        var children = new List<SObjectRecord>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isRecords = reader.ValueTextEquals("records"u8);
            reader.Read();
            if (isRecords && reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var child = new SObjectRecord();
                    ReadObject(ref reader, child, prefix: null, isRoot: true);
                    children.Add(child);
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return children;
    }

    public override void Write(Utf8JsonWriter writer, SObjectRecord value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        if (value.Type is not null)
        {
            writer.WriteStartObject("attributes");
            writer.WriteString("type", value.Type);
            writer.WriteEndObject();
        }

        foreach (var (name, fieldValue) in value.Fields)
        {
            if (name.Contains('.', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Field '{name}' is a flattened relationship field; set a nested SObjectRecord to write through a relationship.", nameof(value));
            }

            writer.WritePropertyName(name);
            WriteValue(writer, fieldValue, options);
        }

        writer.WriteEndObject();
    }

    internal static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case double f:
                writer.WriteNumberValue(f);
                break;
            case float f:
                writer.WriteNumberValue(f);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(SalesforceDateTime.Format(dto));
                break;
            case DateTime dt:
                writer.WriteStringValue(SalesforceDateTime.Format(dt));
                break;
            case DateOnly date:
                writer.WriteStringValue(SalesforceDateTime.Format(date));
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case SObjectRecord nested:
                JsonSerializer.Serialize(writer, nested, options);
                break;
            case IEnumerable<string> multi:
                writer.WriteStringValue(string.Join(';', multi));
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
