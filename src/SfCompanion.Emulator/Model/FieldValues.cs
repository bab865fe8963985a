using System.Globalization;
using System.Text.Json;

namespace SfCompanion.Emulator.Model;

/// <summary>
/// Converts incoming values (JSON, CSV text, .NET values) to the stored form and stored values to wire text.
/// Stored forms: string, bool, int, decimal, DateOnly, DateTimeOffset (UTC).
/// </summary>
internal static class FieldValues
{
    // Shared boxes: a million records hold many booleans, and each box would otherwise cost 24 bytes.
    internal static readonly object True = true;
    internal static readonly object False = false;

    public static object? FromJson(FieldDefinition field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => FromText(field, value.GetString()!, emptyIsNull: false),
        JsonValueKind.True or JsonValueKind.False when field.Type == FieldType.Boolean => value.GetBoolean() ? True : False,
        JsonValueKind.Number when field.Type == FieldType.Int && value.TryGetInt32(out var i) => i,
        JsonValueKind.Number when field.IsNumeric && value.TryGetDecimal(out var d) => d,
        JsonValueKind.Number when field.IsText => CheckText(field, value.GetRawText()),
        _ => throw TypeError(field, value.GetRawText()),
    };

    public static object? FromText(FieldDefinition field, string text, bool emptyIsNull)
    {
        if (emptyIsNull && text.Length == 0)
        {
            return null;
        }

        switch (field.Type)
        {
            case FieldType.Boolean:
                return bool.TryParse(text, out var b) ? (b ? True : False)
                    : text is "1" ? True : text is "0" ? False : throw TypeError(field, text);
            case FieldType.Int:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var i) && i == decimal.Truncate(i)
                    ? (int)i : throw TypeError(field, text);
            case FieldType.Double or FieldType.Currency or FieldType.Percent:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw TypeError(field, text);
            case FieldType.Date:
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt)
                    ? DateOnly.FromDateTime(dt.UtcDateTime) : throw TypeError(field, text);
            case FieldType.DateTime:
                return TryParseDateTime(text, out var parsed) ? parsed : throw TypeError(field, text);
            case FieldType.Id or FieldType.Reference:
                if (text.Length == 0)
                {
                    return null;
                }

                return SalesforceId.Normalize(text)
                    ?? throw new SalesforceApiException("MALFORMED_ID", $"{field.Label}: id value of incorrect type: {text}", [field.Name]);
            default:
                return CheckText(field, text);
        }
    }

    public static object? FromClr(FieldDefinition field, object? value) => value switch
    {
        null => null,
        string s => FromText(field, s, emptyIsNull: false),
        JsonElement e => FromJson(field, e),
        bool b when field.Type == FieldType.Boolean => b ? True : False,

        // Values already in stored form keep their instance, so callers that share values (the demo data) save memory.
        int when field.Type == FieldType.Int => value,
        decimal when field.Type is FieldType.Double or FieldType.Currency or FieldType.Percent => value,
        DateTimeOffset { Offset.Ticks: 0 } when field.Type == FieldType.DateTime => value,
        DateOnly when field.Type == FieldType.Date => value,
        int or long or short or byte when field.Type == FieldType.Int => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        int or long or short or byte or decimal or double or float when field.IsNumeric =>
            Convert.ToDecimal(value, CultureInfo.InvariantCulture) is var d && field.Type == FieldType.Int
                ? (d == decimal.Truncate(d) ? (int)d : throw TypeError(field, Format(value)))
                : Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        DateTimeOffset dto when field.Type == FieldType.DateTime => dto.ToUniversalTime(),
        DateTimeOffset dto when field.Type == FieldType.Date => DateOnly.FromDateTime(dto.UtcDateTime),
        DateTime dt when field.Type == FieldType.DateTime => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTime dt when field.Type == FieldType.Date => DateOnly.FromDateTime(dt),
        DateOnly d when field.Type == FieldType.Date => d,
        DateOnly d when field.Type == FieldType.DateTime => new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        _ when field.IsText => CheckText(field, Format(value)),
        _ => throw TypeError(field, Format(value)),
    };

    public static bool TryParseDateTime(string text, out DateTimeOffset value)
    {
        // Salesforce writes +0000 offsets without a colon, which the round-trip parser does not accept.
        var normalized = text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && char.IsAsciiDigit(text[^1])
            ? string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2))
            : text;
        if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>REST JSON form of a datetime.</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>Text form used in CSV and in messages (Bulk API writes datetimes with a Z suffix).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case decimal d: writer.WriteNumberValue(d); break;
            case double d: writer.WriteNumberValue(d); break;
            case DateOnly d: writer.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset dto: writer.WriteStringValue(FormatDateTime(dto)); break;
            default: writer.WriteStringValue(Format(value)); break;
        }
    }

    private static string CheckText(FieldDefinition field, string text)
    {
        if (field.Length > 0 && text.Length > field.Length)
        {
            throw new SalesforceApiException("STRING_TOO_LONG",
                $"{field.Label}: data value too large: {Truncate(text)} (max length={field.Length})", [field.Name]);
        }

        if (field.Type == FieldType.Email && text.Length > 0 && (!text.Contains('@', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal)))
        {
            throw new SalesforceApiException("INVALID_EMAIL_ADDRESS", $"{field.Label}: invalid email address: {Truncate(text)}", [field.Name]);
        }

        return text;
    }

    private static SalesforceApiException TypeError(FieldDefinition field, string value) =>
        new("INVALID_TYPE_ON_FIELD_IN_RECORD", $"{field.Label}: value not of required type: {Truncate(value)}", [field.Name]);

    private static string Truncate(string text) => text.Length > 100 ? text[..100] : text;
}
