using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SfCompanion.Recipients;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// <c>GET/HEAD /r/{linkId}?t={token}</c>: 302 to the link's registered destination, after the click is durable in
/// the <c>clicks</c> log (group commit). Nothing here calls Salesforce; nothing from the request reaches the
/// <c>Location</c> header.
/// </summary>
public static partial class RedirectEndpoint
{
    private const int MaxUserAgent = 512;

    private const string NotFoundPage =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not found</title></head>" +
        "<body><h1>Link not found</h1><p>This link is unknown or no longer active.</p></body></html>";

    public static IEndpointRouteBuilder MapRedirect(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods("/r/{linkId}", [HttpMethods.Get, HttpMethods.Head], RedirectAsync).ExcludeFromDescription().AllowAnonymous();
        return endpoints;
    }

    private static async Task RedirectAsync(
        HttpContext context, string linkId, TrackedLinks links, RecipientTokens tokens, GroupCommitLog log, ClientAddress addresses, TimeProvider time, ILoggerFactory loggers)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        var link = await links.GetForRedirectAsync(linkId, context.RequestAborted);
        if (link is null || link.Disabled)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/html; charset=utf-8";
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await response.WriteAsync(NotFoundPage, context.RequestAborted);
            }

            return;
        }

        if (!IsPrefetch(context.Request))
        {
            var click = Describe(context, link, tokens, addresses, time);
            try
            {
                await log.AppendAsync(ClickEvent.Log, JsonSerializer.Serialize(click, ClickJsonContext.Default.ClickEvent), context.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The person still gets where they were going; the lost click is visible in the logs and metrics.
                LogClickNotRecorded(loggers.CreateLogger(typeof(RedirectEndpoint)), link.Id, ex);
            }
        }

        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = link.Destination;
    }

    /// <summary>HEAD and browser/link-preview prefetches follow the redirect but are not clicks.</summary>
    internal static bool IsPrefetch(HttpRequest request) =>
        HttpMethods.IsHead(request.Method)
        || Contains(request.Headers["Sec-Purpose"], "prefetch")
        || Contains(request.Headers["Purpose"], "prefetch")
        || Contains(request.Headers["X-Moz"], "prefetch");

    private static bool Contains(StringValues values, string word)
    {
        foreach (var value in values)
        {
            if (value is not null && value.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ClickEvent Describe(HttpContext context, TrackedLink link, RecipientTokens tokens, ClientAddress addresses, TimeProvider time)
    {
        var query = context.Request.Query["t"];
        // Several t= values are as suspicious as a bad one: the click stays anonymous.
        var token = query.Count == 1 ? query[0] : null;
        var claim = tokens.Verify(token);
        var ua = context.Request.Headers[HeaderNames.UserAgent].ToString();
        var remote = context.Connection.RemoteIpAddress;
        return new ClickEvent
        {
            LinkId = link.Id,
            CampaignId = link.CampaignId,
            RecipientId = claim?.RecipientId,
            BadToken = claim is null && query.Count > 0,
            At = time.GetUtcNow(),
            UserAgent = ua.Length == 0 ? null : ua.Length > MaxUserAgent ? ua[..MaxUserAgent] : ua,
            Ip = addresses.ForStorage(remote),
            ScannerRange = addresses.ScannerRange(remote),
            Honeypot = link.IsHoneypot,
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Click on link {LinkId} could not be recorded; the visitor was redirected anyway")]
    private static partial void LogClickNotRecorded(ILogger logger, string linkId, Exception exception);
}
