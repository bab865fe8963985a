using SfCompanion.Admin;
using SfCompanion.Tracking;

namespace SfCompanion.WebConsole.Tracking;

/// <summary>The tracking page's download: the clickers of a campaign as CSV, for a signed-in marketer (the session cookie, not an API key).</summary>
public static class TrackingConsoleApi
{
    public static IEndpointRouteBuilder MapTrackingConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(ConsoleAuth.BasePath + "/api/tracking/campaigns/{campaignId}/clickers.csv", ClickersCsvAsync)
            .RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Marketer))
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The same file as <c>GET /api/tracking/campaigns/{campaignId}/clickers.csv</c> (<c>linkId</c>, <c>callOnly</c>).</summary>
    private static async Task<IResult> ClickersCsvAsync(string campaignId, string? linkId, bool? callOnly, TrackingStats stats, CancellationToken cancellationToken) =>
        await stats.GetCampaignAsync(campaignId, linkId, cancellationToken) is { } found
            ? Results.File(ClickersCsv.Write(found, callOnly == true), ClickersCsv.ContentType, ClickersCsv.FileName(campaignId))
            : Results.Problem($"campaignId = '{campaignId}'{(linkId is null ? "" : $", linkId = '{linkId}'")}: no tracked link there; register one on the tracking page first.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign or link");
}
