using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Api;

/// <summary>getUpdated and getDeleted: ids changed or deleted in a window, as replication clients use them.</summary>
internal static class Replication
{
    private const int MaxIds = 600_000;

    public static IResult Updated(HttpContext http, SalesforceEmulator org, string type)
    {
        var schema = RestApi.RequireType(org, type);
        var (start, end, latest) = Window(http, org);
        var ids = org.Data.Scan(schema, r => r.SystemModstamp >= start && r.SystemModstamp < end, includeDeleted: false)
            .Select(r => r.Id).ToList();
        if (ids.Count > MaxIds)
        {
            throw new SalesforceApiException("EXCEEDED_ID_LIMIT", "too many ids were requested, narrow the time range");
        }

        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("ids");
            foreach (var id in ids)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteString("latestDateCovered", FieldValues.FormatDateTime(latest));
            w.WriteEndObject();
        });
    }

    public static IResult Deleted(HttpContext http, SalesforceEmulator org, string type)
    {
        var schema = RestApi.RequireType(org, type);
        var (start, end, latest) = Window(http, org);
        var deleted = org.Data.Scan(schema, r => r.IsDeleted && r.DeletedDate >= start && r.DeletedDate < end, includeDeleted: true);
        if (deleted.Count > MaxIds)
        {
            throw new SalesforceApiException("EXCEEDED_ID_LIMIT", "too many ids were requested, narrow the time range");
        }

        var earliest = org.Options.TimeProvider.GetUtcNow().AddDays(-30);
        return SfJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("deletedRecords");
            foreach (var r in deleted)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                w.WriteString("deletedDate", FieldValues.FormatDateTime(r.DeletedDate!.Value));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("earliestDateAvailable", FieldValues.FormatDateTime(TruncateToMinute(earliest)));
            w.WriteString("latestDateCovered", FieldValues.FormatDateTime(latest));
            w.WriteEndObject();
        });
    }

    private static (DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Latest) Window(HttpContext http, SalesforceEmulator org)
    {
        var start = Parse(http.Request.Query["start"], "start");
        var end = Parse(http.Request.Query["end"], "end");
        var now = org.Options.TimeProvider.GetUtcNow();
        if (start < now.AddDays(-30))
        {
            throw new SalesforceApiException("INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago");
        }

        if (end <= start)
        {
            throw new SalesforceApiException("INVALID_REPLICATION_DATE", "EndDate must chronologically follow the StartDate");
        }

        // Salesforce covers whole minutes only, up to the last complete minute before now.
        var latest = TruncateToMinute(end < now ? end : now);
        return (TruncateToMinute(start), latest, latest);
    }

    private static DateTimeOffset Parse(string? text, string name)
    {
        text = text?.Replace(' ', '+');
        return text is not null && FieldValues.TryParseDateTime(text, out var value)
            ? value
            : throw new SalesforceApiException("INVALID_REPLICATION_DATE", $"The '{name}' parameter is required and must be an ISO 8601 date/time");
    }

    private static DateTimeOffset TruncateToMinute(DateTimeOffset value) =>
        new(value.Year, value.Month, value.Day, value.Hour, value.Minute, 0, TimeSpan.Zero);
}
