using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Api;

/// <summary>Writes Salesforce-shaped JSON bodies.</summary>
internal static class SfJson
{
    public const string ContentType = "application/json;charset=UTF-8";

    // Salesforce writes quotes, plus signs and accents as they are, not as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Result(int statusCode, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return new BodyResult(buffer.WrittenMemory.ToArray(), ContentType, statusCode);
    }

    /// <summary>A body with a status code (Results.Bytes always answers 200).</summary>
    internal sealed class BodyResult(byte[] body, string contentType, int statusCode) : IResult
    {
        public int StatusCode => statusCode;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = contentType;
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }

    public static IResult Ok(Action<Utf8JsonWriter> write) => Result(200, write);

    /// <summary>The REST error body: an array with one error object.</summary>
    public static IResult Error(int statusCode, string errorCode, string message, IReadOnlyList<string>? fields = null) => Result(statusCode, w =>
    {
        w.WriteStartArray();
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteString("errorCode", errorCode);
        if (fields is { Count: > 0 })
        {
            w.WriteStartArray("fields");
            foreach (var f in fields)
            {
                w.WriteStringValue(f);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndArray();
    });

    public static IResult Error(SalesforceApiException e) => Error(e.StatusCode, e.ErrorCode, e.Message, e.Fields);

    public static string RecordUrl(string version, ObjectSchema schema, string id) => $"/services/data/v{version}/sobjects/{schema.Name}/{id}";

    public static void WriteAttributes(Utf8JsonWriter w, string version, ObjectSchema schema, string? id)
    {
        w.WriteStartObject("attributes");
        w.WriteString("type", schema.Name);
        if (id is not null)
        {
            w.WriteString("url", RecordUrl(version, schema, id));
        }

        w.WriteEndObject();
    }

    public static void WriteRecord(Utf8JsonWriter w, string version, SObjectRecord record, IEnumerable<FieldDefinition> fields)
    {
        w.WriteStartObject();
        WriteAttributes(w, version, record.Schema, record.Id);
        foreach (var field in fields)
        {
            w.WritePropertyName(field.Name);
            FieldValues.Write(w, field.Read(record));
        }

        w.WriteEndObject();
    }

    /// <summary>One entry of a save result list (collections, single create/upsert).</summary>
    public static void WriteSaveResult(Utf8JsonWriter w, string? id, SalesforceApiException? error, bool? created = null)
    {
        w.WriteStartObject();
        if (id is not null)
        {
            w.WriteString("id", id);
        }

        w.WriteBoolean("success", error is null);
        w.WriteStartArray("errors");
        if (error is not null)
        {
            w.WriteStartObject();
            w.WriteString("statusCode", error.ErrorCode);
            w.WriteString("message", error.Message);
            w.WriteStartArray("fields");
            foreach (var f in error.Fields)
            {
                w.WriteStringValue(f);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (created is not null)
        {
            w.WriteBoolean("created", created.Value);
        }

        w.WriteEndObject();
    }

    public static string TypeName(FieldType type) => type.ToString().ToLowerInvariant();

    public static string SoapType(FieldType type) => type switch
    {
        FieldType.Id or FieldType.Reference => "tns:ID",
        FieldType.Boolean => "xsd:boolean",
        FieldType.Int => "xsd:int",
        FieldType.Double or FieldType.Currency or FieldType.Percent => "xsd:double",
        FieldType.Date => "xsd:date",
        FieldType.DateTime => "xsd:dateTime",
        _ => "xsd:string",
    };
}
