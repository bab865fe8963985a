using System.Text.Json;
using SfCompanion.Admin;
using SfCompanion.Consent;

namespace SfCompanion.WebConsole.Consent;

/// <summary>The consent page's download: a subject's export as a JSON file, for a signed-in admin (the session cookie, not an API key).</summary>
public static class ConsentConsoleApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapConsentConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(ConsoleAuth.BasePath + "/api/consent/subjects/{id}/export.json", ExportAsync)
            .RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Admin))
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The same document as <c>GET /api/consent/subjects/{id}</c>, as an attachment.</summary>
    private static async Task<IResult> ExportAsync(string id, ConsentService consent, CancellationToken cancellationToken)
    {
        if (!ConsentSubjects.IsRecordId(id))
        {
            return Results.Problem($"id = '{ConsentSubjects.Shorten(id)}': must be a lead or contact id (15 or 18 letters or digits).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid subject id");
        }

        var export = await consent.ExportAsync(id, cancellationToken);
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(export, Json), "application/json; charset=utf-8", $"consent-{id}.json");
    }
}
