using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;

namespace SfCompanion.WebConsole;

/// <summary>
/// Opening and closing console sessions without Salesforce: the break-glass sign-in with an API key, sign-out, and
/// the language switch. Every form is checked against forgery.
/// </summary>
internal static partial class ConsoleSession
{
    public static IEndpointRouteBuilder MapConsoleSession(this IEndpointRouteBuilder endpoints)
    {
        var session = endpoints.MapGroup(ConsoleAuth.BasePath).ExcludeFromDescription();
        session.MapPost("/signin/key", SignInWithKeyAsync).DisableAntiforgery();
        session.MapPost("/signout", SignOutAsync).DisableAntiforgery();
        session.MapGet("/lang/{lang}", SwitchLanguage);
        return endpoints;
    }

    /// <summary>A console path to go back to (<see cref="ConsoleReturnUrl"/>); anything else gives the overview.</summary>
    public static string SafeReturnUrl(string? returnUrl) => ConsoleReturnUrl.Safe(returnUrl);

    private static async Task<IResult> SignInWithKeyAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyService keys, IOptions<WebConsoleOptions> options, ILoggerFactory loggers)
    {
        if (!await IsValidFormAsync(context, antiforgery))
        {
            return Results.Redirect(ConsoleAuth.SignInPath + "?error=expired");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = SafeReturnUrl(form["returnUrl"].ToString());
        var query = "&returnUrl=" + Uri.EscapeDataString(returnUrl);
        if (!options.Value.ApiKeySignIn)
        {
            return Results.Redirect(ConsoleAuth.SignInPath + "?error=" + ConsoleAuth.Errors.BadKey + query);
        }

        var secret = form["key"].ToString().Trim();
        var key = secret.Length is > 0 and <= 200 ? await keys.VerifyAsync(secret, context.RequestAborted) : null;
        var log = loggers.CreateLogger("SfCompanion.WebConsole.SignIn");
        if (key is null)
        {
            LogRefusedKey(log, context.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Results.Redirect(ConsoleAuth.SignInPath + "?error=" + ConsoleAuth.Errors.BadKey + query);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, "api-key:" + key.Id),
                new Claim(ClaimTypes.Name, key.Name),
                new Claim(ClaimTypes.Role, key.Role),
                new Claim(ConsoleAuth.SignInMethodClaim, ConsoleAuth.ViaApiKey),
            ],
            ConsoleAuth.Scheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        await context.SignInAsync(ConsoleAuth.Scheme, new ClaimsPrincipal(identity));
        LogKeySignIn(log, key.Name, key.Prefix, key.Role);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await IsValidFormAsync(context, antiforgery))
        {
            await context.SignOutAsync(ConsoleAuth.Scheme);
        }

        return Results.Redirect(ConsoleAuth.SignInPath);
    }

    private static IResult SwitchLanguage(string lang, string? returnUrl, HttpContext context)
    {
        if (lang is "en" or "fr")
        {
            context.Response.Cookies.Append(ConsoleText.CookieName, lang, new CookieOptions
            {
                Path = ConsoleAuth.BasePath,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
        }

        return Results.Redirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<bool> IsValidFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console sign-in with API key '{KeyName}' ({KeyPrefix}…), role {Role}.")]
    private static partial void LogKeySignIn(ILogger logger, string keyName, string keyPrefix, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in refused: unknown or revoked API key (from {Remote}).")]
    private static partial void LogRefusedKey(ILogger logger, string remote);
}
