using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using SfCompanion.Recipients;

namespace SfCompanion.Tracking;

/// <summary>
/// <c>GET/HEAD /r/{linkId}?t={token}</c> (see <see cref="UseTrackedRedirects"/>): 302 to the link's registered destination, once the click is
/// recorded by the <see cref="ClickRecorder"/> (in the local click journal, or durable in the <c>clicks</c> log). Nothing here calls Salesforce; nothing from the request reaches the
/// <c>Location</c> header.
/// </summary>
public static partial class RedirectEndpoint
{
    private const int MaxUserAgent = 512;

    private const string NotFoundPage =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not found</title></head>" +
        "<body><h1>Link not found</h1><p>This link is unknown or no longer active.</p></body></html>";

    /// <summary>
    /// Answers <c>GET/HEAD /r/{linkId}</c> in a middleware placed before routing, authentication and authorization:
    /// the redirect needs none of them, and skipping them is most of its throughput. Other requests pass through.
    /// </summary>
    public static IApplicationBuilder UseTrackedRedirects(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        return app.Use(next =>
        {
            // Resolved at the first redirect rather than at start, so configuration problems are reported by the
            // start-up check; the services with store reads in their constructors are built at host start anyway.
            Dependencies? dependencies = null;
            return context =>
            {
                if (!TryGetLinkId(context.Request, out var linkId))
                {
                    return next(context);
                }

                dependencies ??= new Dependencies(services);
                return RedirectAsync(context, linkId, dependencies);
            };
        });
    }

    /// <summary>A GET or HEAD of <c>/r/</c> followed by exactly one non-empty path segment.</summary>
    internal static bool TryGetLinkId(HttpRequest request, out string linkId)
    {
        linkId = "";
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !request.Path.StartsWithSegments("/r", StringComparison.Ordinal, out var rest)
            || rest.Value is not { Length: > 1 } value
            || value.IndexOf('/', 1) >= 0)
        {
            return false;
        }

        linkId = value[1..];
        return true;
    }

    private sealed class Dependencies(IServiceProvider services)
    {
        public TrackedLinks Links { get; } = services.GetRequiredService<TrackedLinks>();

        public RecipientTokens Tokens { get; } = services.GetRequiredService<RecipientTokens>();

        public ClickRecorder Clicks { get; } = services.GetRequiredService<ClickRecorder>();

        public ClientAddress Addresses { get; } = services.GetRequiredService<ClientAddress>();

        public TimeProvider Time { get; } = services.GetRequiredService<TimeProvider>();

        public ILogger Logger { get; } = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedirectEndpoint));
    }

    private static async Task RedirectAsync(HttpContext context, string linkId, Dependencies d)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        var link = await d.Links.GetForRedirectAsync(linkId, context.RequestAborted);
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
            var click = Describe(context, link, d.Tokens, d.Addresses, d.Time);
            try
            {
                // Journal mode: one write and done. Fsync mode: not tied to the request (once queued the click is
                // written anyway, and a visitor who went away costs nothing to wait for).
                await d.Clicks.RecordAsync(click);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The person still gets where they were going; the lost click is visible in the logs and metrics.
                LogClickNotRecorded(d.Logger, link.Id, ex);
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
