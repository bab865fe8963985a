using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfCompanion.Salesforce;

/// <summary>JSON settings matching Salesforce's wire format, shared by the client and by typed records.</summary>
public static class SalesforceJson
{
    /// <summary>Options for reading and writing Salesforce JSON; use them for your own typed record classes.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new SalesforceDateTimeOffsetConverter());
        options.Converters.Add(new SalesforceDateTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Reads and writes <c>2024-01-31T10:00:00.000+0000</c>.</summary>
public sealed class SalesforceDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SalesforceDateTime.Parse(reader.GetString() ?? throw new JsonException("Expected a date-time string."));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(SalesforceDateTime.Format(value));
    }
}

/// <summary>Reads Salesforce date-times as UTC <see cref="DateTime"/>; writes the Salesforce format.</summary>
public sealed class SalesforceDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SalesforceDateTime.Parse(reader.GetString() ?? throw new JsonException("Expected a date-time string.")).UtcDateTime;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(SalesforceDateTime.Format(value));
    }
}
