using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace SfCompanion.Hosting;

/// <summary>
/// Applies the endpoint's <see cref="RequestBodyLimit"/> (after routing, before authentication): a declared length over
/// the limit is refused at once with <c>413 application/problem+json</c> naming the limit, without reading the body; a
/// body without a declared length is cut off by the server at the same limit.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    /// <summary>Where the limit in force is kept for the error handler (<see cref="BadRequestExceptionHandler"/>).</summary>
    internal const string LimitItem = "SfCompanion.RequestBodyLimit";

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.Bytes ?? RequestBodyLimits.Default;
        context.Items[LimitItem] = limit;
        if (context.Request.ContentLength is { } length && length > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = TooLarge(context, limit, length) });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    /// <summary>The 413 problem: the limit of this endpoint and, when known, the size sent.</summary>
    internal static ProblemDetails TooLarge(HttpContext context, long limit, long? length) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "Request body too large",
        Detail = $"{context.Request.Method} {context.Request.Path} accepts a body of at most {limit.ToString(CultureInfo.InvariantCulture)} bytes ({RequestBodyLimits.Describe(limit)})"
            + (length is { } sent ? $"; this one has {sent.ToString(CultureInfo.InvariantCulture)} bytes." : ".")
            + " Send less per request (split an import into several).",
        Extensions = { ["limitBytes"] = limit },
    };
}
