using System.Net;
using System.Text.Json;

namespace SfCompanion.Salesforce;

/// <summary>Turns Salesforce error bodies into <see cref="SalesforceError"/>s.</summary>
internal static class SalesforceErrorParser
{
    public static IReadOnlyList<SalesforceError> Parse(HttpStatusCode status, string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [new SalesforceError(StatusFallback(status), $"HTTP {(int)status} with an empty body", [])];
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var errors = new List<SalesforceError>();
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        errors.Add(FromObject(item, status));
                    }
                    else if (status == HttpStatusCode.MultipleChoices && item.ValueKind == JsonValueKind.String)
                    {
                        // 300 on upsert: the external id matches several records; the body lists their URLs.
                        errors.Add(new SalesforceError("MULTIPLE_CHOICES", $"External id matches several records: {item.GetString()}", [item.GetString()!]));
                    }
                }

                if (errors.Count > 0)
                {
                    return errors;
                }
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                return [FromObject(root, status)];
            }
        }
        catch (JsonException)
        {
            // Not JSON (proxy error pages, maintenance HTML): keep a short excerpt.
        }

        var excerpt = body.Length > 300 ? body[..300] + "…" : body;
        return [new SalesforceError(StatusFallback(status), excerpt.Trim(), [])];
    }

    public static SalesforceError FromObject(JsonElement item, HttpStatusCode status)
    {
        var code = GetString(item, "errorCode") ?? GetString(item, "statusCode") ?? GetString(item, "error") ?? StatusFallback(status);
        var message = GetString(item, "message") ?? GetString(item, "error_description") ?? "";
        var fields = new List<string>();
        if (item.TryGetProperty("fields", out var f) && f.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in f.EnumerateArray())
            {
                if (field.ValueKind == JsonValueKind.String)
                {
                    fields.Add(field.GetString()!);
                }
            }
        }

        return new SalesforceError(code, message, fields);
    }

    private static string? GetString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string StatusFallback(HttpStatusCode status) => status switch
    {
        HttpStatusCode.MultipleChoices => "MULTIPLE_CHOICES",
        HttpStatusCode.Unauthorized => "INVALID_SESSION_ID",
        HttpStatusCode.ServiceUnavailable => "SERVER_UNAVAILABLE",
        _ => $"HTTP_{(int)status}",
    };
}
