using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SfCompanion.Hosting;

/// <summary>
/// Turns what a client got wrong into <c>4xx application/problem+json</c> naming the parameter or JSON field and what is
/// expected: a parameter that cannot be bound, a missing body, malformed JSON, a value of the wrong type, a body over the
/// endpoint's limit, an unreadable form. Never echoes an exception's type or stack; anything else stays a server error.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Describe(httpContext, exception) is not { } problem)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>True for the exceptions this handler answers: the client's mistakes, not worth an error in the log.</summary>
    internal static bool IsClientError(Exception exception) =>
        exception is BadHttpRequestException or InvalidDataException || exception.InnerException is JsonException;

    internal static ProblemDetails? Describe(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                var limit = context.Items[RequestBodyLimitMiddleware.LimitItem] as long? ?? RequestBodyLimits.Default;
                return RequestBodyLimitMiddleware.TooLarge(context, limit, context.Request.ContentLength);
            case BadHttpRequestException { InnerException: JsonException json }:
                return Json(json);
            case BadHttpRequestException bad:
                return new ProblemDetails
                {
                    Status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest,
                    Title = bad.StatusCode == StatusCodes.Status415UnsupportedMediaType ? "Unsupported content type" : "Invalid request",
                    Detail = Reword(bad.Message),
                };
            case InvalidDataException invalid:
                return new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Unreadable form", Detail = "The form could not be read: " + invalid.Message };
            default:
                return exception.InnerException is JsonException inner ? Json(inner) : null;
        }
    }

    /// <summary>
    /// The framework's binding messages name parameters as <c>"Type name"</c>; the client needs only the name:
    /// <c>Failed to bind parameter "int? limit" from "abc".</c> becomes <c>Failed to bind parameter 'limit' from "abc".</c>
    /// </summary>
    private static string Reword(string message)
    {
        var text = ParameterPattern().Replace(message, m => $"parameter '{m.Groups["name"].Value}'");
        text = text.Replace(" Did you mean to use a Service instead?", string.Empty, StringComparison.Ordinal);
        return text.Replace("but no body was provided.", "but no body was provided: send it as JSON (Content-Type: application/json).", StringComparison.Ordinal);
    }

    private static ProblemDetails Json(JsonException json)
    {
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? null : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
        string detail;
        if (MissingPattern().Match(json.Message) is { Success: true } missing)
        {
            detail = $"Required field(s) missing: {missing.Groups["names"].Value.Trim().TrimEnd('.')}.";
        }
        else if (ConvertPattern().Match(json.Message) is { Success: true } convert && field is not null)
        {
            detail = $"Field '{field}' has a value of the wrong type{position}: expected {Expected(convert.Groups["type"].Value.TrimEnd('.'))}.";
        }
        else
        {
            var near = field is null ? string.Empty : $" near field '{field}'";
            detail = $"The request body is not well-formed JSON{near}{position}; send one JSON object (Content-Type: application/json).";
        }

        return new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid JSON body",
            Detail = detail,
            Extensions = { ["field"] = field },
        };
    }

    private static string Expected(string type)
    {
        const string Nullable = "System.Nullable`1[";
        if (type.StartsWith(Nullable, StringComparison.Ordinal))
        {
            type = type[Nullable.Length..].TrimEnd(']');
        }

        var name = type.Split('.')[^1].TrimEnd('[', ']');
        if (type.Contains("List`", StringComparison.Ordinal) || type.Contains("[]", StringComparison.Ordinal) || type.Contains("Collection", StringComparison.Ordinal)
            || type.Contains("Enumerable", StringComparison.Ordinal))
        {
            return "an array";
        }

        if (type.Contains("Dictionary", StringComparison.Ordinal))
        {
            return "an object";
        }

        return name switch
        {
            "String" => "a string",
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" => "a whole number",
            "Double" or "Single" or "Decimal" => "a number",
            "Boolean" => "true or false",
            "DateTime" or "DateTimeOffset" => "an ISO 8601 date and time (e.g. 2026-01-31T09:00:00Z)",
            "DateOnly" => "a date (e.g. 2026-01-31)",
            "TimeSpan" => "a duration (e.g. 01:30:00)",
            "Guid" => "a GUID",
            // The framework names the enclosing type for some mistakes: the schema at /docs says what the field takes.
            _ => "the type the API reference (/docs) gives for it",
        };
    }

    [GeneratedRegex("parameter \"[^\"]*?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex("could not be converted to (?<type>[^ ]+)\\.? ")]
    private static partial Regex ConvertPattern();

    [GeneratedRegex("missing required properties,? including:? (?<names>.+?)(\\. Path:|$)")]
    private static partial Regex MissingPattern();
}
