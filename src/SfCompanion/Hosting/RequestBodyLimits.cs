using System.Globalization;

namespace SfCompanion.Hosting;

/// <summary>The request body limits, chosen per kind of endpoint (docs/configuration.md, "Request body limits").</summary>
public static class RequestBodyLimits
{
    /// <summary>JSON commands of the API (definitions, previews, keys, links) and every endpoint without its own limit: 1 MiB.</summary>
    public const long Default = 1024 * 1024;

    /// <summary>The public consent forms (a token and a choice): 16 KiB.</summary>
    public const long Form = 16 * 1024;

    /// <summary>RFC 8058 one-click unsubscribe (<c>List-Unsubscribe=One-Click</c>): 4 KiB.</summary>
    public const long OneClick = 4 * 1024;

    /// <summary>Imports of many records in one request (consent events): 32 MiB.</summary>
    public const long Import = 32 * 1024 * 1024;

    /// <summary>The console's pages, whose forms may carry a file (a CSV import of at most 2 MiB): 3 MiB.</summary>
    public const long Console = 3 * 1024 * 1024;

    /// <summary>
    /// A small public form (a token and a choice): at most <paramref name="bytes"/> in all, 32 fields, names of 256
    /// characters; a form over these is unreadable, and the page treats it as no form.
    /// </summary>
    public static TBuilder WithSmallForm<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithRequestBodyLimit(bytes).WithFormOptions(
            valueCountLimit: 32, keyLengthLimit: 256, valueLengthLimit: (int)bytes, multipartHeadersLengthLimit: 4096, multipartBodyLengthLimit: bytes);

    /// <summary>Sets the largest request body <paramref name="builder"/>'s endpoints accept.</summary>
    public static TBuilder WithRequestBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequestBodyLimit(bytes));
    }

    /// <summary>"1 MiB", "16 KiB", "100 bytes".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB",
        >= 1024 when bytes % 1024 == 0 => (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
