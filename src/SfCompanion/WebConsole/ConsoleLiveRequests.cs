using Microsoft.AspNetCore.Antiforgery;

namespace SfCompanion.WebConsole;

/// <summary>What the console's live JSON endpoints (the rule and routine editors' previews) share.</summary>
internal static class ConsoleLiveRequests
{
    /// <summary>Null when the request carries the page's anti-forgery token; otherwise the 400 answer saying how to send it.</summary>
    public static async Task<IResult?> RefuseWithoutAntiforgeryAsync(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(title: "Missing anti-forgery token", detail: "Send the X-Sfc-Antiforgery header from the page's sfc-antiforgery meta tag; reload the page if the session changed.", statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
