using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using SfCompanion.Hosting;
using SfCompanion.Recipients;

namespace SfCompanion.Consent;

/// <summary>
/// The public consent pages. GET never changes anything (mail security scanners fetch every link); changes are POSTs:
/// the preference form (with a signed, expiring form token against cross-site forgery), the RFC 8058 one-click
/// unsubscribe (authenticated by the signed token alone, as mail clients send no session), and the confirm button of
/// double opt-in and re-opt-in links. Bad, expired or tampered tokens get the same friendly page and change nothing.
/// </summary>
public static class ConsentPages
{
    /// <summary>Purpose of the form tokens embedded in rendered pages.</summary>
    public const string FormPurpose = "consent-form";

    /// <summary>Purpose prefix of double opt-in confirmation tokens: <c>confirm-email</c>, <c>confirm-sms</c>…</summary>
    public const string ConfirmPurposePrefix = "confirm-";

    /// <summary>Scanners and link previews send HEAD as well as GET; both only read.</summary>
    private static readonly string[] ReadMethods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointRouteBuilder MapConsentPages(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var pages = endpoints.MapGroup(string.Empty).ExcludeFromDescription();
        pages.MapMethods("/p/{token}", ReadMethods, ShowPreferencesAsync);
        pages.MapPost("/p/{token}", ApplyPreferencesAsync).WithSmallForm(RequestBodyLimits.Form);
        // Mail clients without one-click support open the List-Unsubscribe URL in a browser: show the preferences.
        pages.MapMethods("/u/{token}", ReadMethods, ShowPreferencesAsync);
        pages.MapPost("/u/{token}", OneClickAsync).WithSmallForm(RequestBodyLimits.OneClick);
        pages.MapMethods("/c/{token}", ReadMethods, ShowConfirmation);
        pages.MapPost("/c/{token}", ConfirmAsync).WithSmallForm(RequestBodyLimits.Form);
        return endpoints;
    }

    private static async Task<IResult> ShowPreferencesAsync(string token, HttpContext context, RecipientTokens tokens, ConsentService consent, IOptions<ConsentOptions> options)
    {
        var texts = ConsentTexts.For(context.Request, options.Value.DefaultLanguage);
        if (tokens.Verify(token) is not { } claim)
        {
            return Invalid(context, texts);
        }

        var state = await consent.GetStateAsync(claim.RecipientId, context.RequestAborted);
        var form = tokens.IssueFor(claim.RecipientId, FormPurpose, TimeSpan.FromHours(options.Value.FormLifetimeHours));
        return Html(context, ConsentHtml.Preferences(texts, state, "/p/" + token + LangQuery(context), form, OtherLanguageUrl(context, texts)));
    }

    private static async Task<IResult> ApplyPreferencesAsync(string token, HttpContext context, RecipientTokens tokens, ConsentService consent, IOptions<ConsentOptions> options)
    {
        var texts = ConsentTexts.For(context.Request, options.Value.DefaultLanguage);
        if (tokens.Verify(token) is not { } claim)
        {
            return Invalid(context, texts);
        }

        var preferencesUrl = "/p/" + token + LangQuery(context);
        if (await ReadVerifiedFormAsync(context, tokens, claim.RecipientId) is not { } form)
        {
            return Html(context, ConsentHtml.Message(texts, texts.ExpiredFormTitle, texts.ExpiredFormBody, preferencesUrl, texts.BackToPreferences), StatusCodes.Status400BadRequest);
        }

        var parts = form["change"].ToString().Split(':');
        if (parts.Length != 2 || !ConsentChannels.IsKnown(parts[0]) || !ConsentActions.IsChange(parts[1]))
        {
            return Html(context, ConsentHtml.Message(texts, texts.ExpiredFormTitle, texts.ExpiredFormBody, preferencesUrl, texts.BackToPreferences), StatusCodes.Status400BadRequest);
        }

        var (channel, action) = (parts[0], parts[1]);
        var outcome = await consent.ApplyAsync(claim.RecipientId, [new ConsentChange(channel, action)], Context(context, ConsentSources.Page, claim), context.RequestAborted);
        var message = !outcome.Changed ? texts.NothingChanged : action == ConsentActions.OptOut ? texts.StoppedMessages[channel] : texts.ResumedMessages[channel];
        return Html(context, ConsentHtml.Saved(texts, [message], preferencesUrl));
    }

    private static async Task<IResult> OneClickAsync(string token, HttpContext context, RecipientTokens tokens, ConsentService consent, IOptions<ConsentOptions> options)
    {
        var texts = ConsentTexts.For(context.Request, options.Value.DefaultLanguage);
        if (tokens.Verify(token) is not { } claim)
        {
            return Invalid(context, texts);
        }

        // RFC 8058: the body must carry List-Unsubscribe=One-Click (form-urlencoded or multipart); anything else is not a one-click request.
        var form = await ReadFormAsync(context);
        if (form is null || !string.Equals(form["List-Unsubscribe"].ToString(), "One-Click", StringComparison.Ordinal))
        {
            return Html(context, ConsentHtml.Message(texts, texts.InvalidTitle, texts.InvalidBody, "/p/" + token, texts.BackToPreferences), StatusCodes.Status400BadRequest);
        }

        await consent.ApplyAsync(claim.RecipientId, [new ConsentChange(ConsentChannels.Email, ConsentActions.OptOut)], Context(context, ConsentSources.OneClick, claim), context.RequestAborted);
        return Html(context, ConsentHtml.Message(texts, texts.SavedTitle, texts.OneClickDone));
    }

    private static IResult ShowConfirmation(string token, HttpContext context, RecipientTokens tokens, IOptions<ConsentOptions> options)
    {
        var texts = ConsentTexts.For(context.Request, options.Value.DefaultLanguage);
        if (ResolveConfirmation(token, context.Request.Query["channel"], tokens) is not { } confirmation)
        {
            return Invalid(context, texts);
        }

        var form = tokens.IssueFor(confirmation.Claim.RecipientId, FormPurpose, TimeSpan.FromHours(options.Value.FormLifetimeHours));
        var action = "/c/" + token + context.Request.QueryString.Value;
        return Html(context, ConsentHtml.Confirm(texts, confirmation.Channel, action, form, OtherLanguageUrl(context, texts)));
    }

    private static async Task<IResult> ConfirmAsync(string token, HttpContext context, RecipientTokens tokens, ConsentService consent, IOptions<ConsentOptions> options)
    {
        var texts = ConsentTexts.For(context.Request, options.Value.DefaultLanguage);
        if (ResolveConfirmation(token, context.Request.Query["channel"], tokens) is not { } confirmation)
        {
            return Invalid(context, texts);
        }

        if (await ReadVerifiedFormAsync(context, tokens, confirmation.Claim.RecipientId) is null)
        {
            return Html(context, ConsentHtml.Message(texts, texts.ExpiredFormTitle, texts.ExpiredFormBody, "/c/" + token + context.Request.QueryString.Value, texts.ConfirmTitle), StatusCodes.Status400BadRequest);
        }

        await consent.ApplyAsync(confirmation.Claim.RecipientId, [new ConsentChange(confirmation.Channel, ConsentActions.OptIn, DoubleOptIn: true)],
            Context(context, ConsentSources.ConfirmationLink, confirmation.Claim), context.RequestAborted);
        return Html(context, ConsentHtml.Message(texts, texts.ConfirmedTitle, texts.ConfirmedMessages[confirmation.Channel]));
    }

    /// <summary>
    /// An expiring confirmation token (<c>confirm-{channel}</c>), or a recipient's stable token with <c>?channel=</c> — the
    /// re-opt-in link a marketer puts in a Salesforce email with the tracking-token merge field.
    /// </summary>
    private static (RecipientClaim Claim, string Channel)? ResolveConfirmation(string token, StringValues channelQuery, RecipientTokens tokens)
    {
        foreach (var channel in ConsentChannels.All)
        {
            if (tokens.Verify(token, ConfirmPurposePrefix + channel) is { } claim)
            {
                return (claim, channel);
            }
        }

        var requested = channelQuery.ToString();
        return ConsentChannels.IsKnown(requested) && tokens.Verify(token) is { } stable ? (stable, requested) : null;
    }

    /// <summary>The posted form when its form token is valid for this recipient and the request is not cross-site; null otherwise.</summary>
    private static async Task<IFormCollection?> ReadVerifiedFormAsync(HttpContext context, RecipientTokens tokens, string recipientId)
    {
        var request = context.Request;
        if (!request.HasFormContentType || IsCrossSite(request))
        {
            return null;
        }

        var form = await ReadFormAsync(context);
        return form is not null && tokens.Verify(form["_form"].ToString(), FormPurpose) is { } claim && claim.RecipientId == recipientId ? form : null;
    }

    /// <summary>
    /// The posted form, or null when there is none or it cannot be read (malformed, too many or too long fields: see
    /// <see cref="RequestBodyLimits.WithSmallForm"/>); such a post changes nothing.
    /// </summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException { StatusCode: not StatusCodes.Status413PayloadTooLarge }
            || (ex is IOException && !context.RequestAborted.IsCancellationRequested))
        {
            return null;
        }
    }

    private static bool IsCrossSite(HttpRequest request)
    {
        if (string.Equals(request.Headers["Sec-Fetch-Site"].ToString(), "cross-site", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && origin != "null" && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static ConsentContext Context(HttpContext context, string source, RecipientClaim claim) =>
        new(source, Ip: context.Connection.RemoteIpAddress, UserAgent: context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null, TokenId: claim.TokenId);

    private static string LangQuery(HttpContext context) =>
        context.Request.Query["lang"].ToString() is "fr" or "en" ? "?lang=" + context.Request.Query["lang"] : string.Empty;

    private static string OtherLanguageUrl(HttpContext context, ConsentTexts texts)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(context.Request.QueryString.Value);
        query["lang"] = texts.Lang == "fr" ? "en" : "fr";
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(context.Request.Path, query);
    }

    private static IResult Invalid(HttpContext context, ConsentTexts texts) =>
        Html(context, ConsentHtml.Message(texts, texts.InvalidTitle, texts.InvalidBody), StatusCodes.Status404NotFound);

    private static IResult Html(HttpContext context, string html, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        // Tokens are in the URL: no caching, no referrer leaking them to other sites, no framing, nothing but our own styles.
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["X-Content-Type-Options"] = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
