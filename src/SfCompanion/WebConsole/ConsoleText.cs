using System.Globalization;
using Microsoft.Extensions.Options;

namespace SfCompanion.WebConsole;

/// <summary>
/// The console's language for one request, and its texts: each page writes both languages where it uses them,
/// <c>L["Run now", "Lancer maintenant"]</c>, so a text and its translation are never apart. The language comes from
/// the <c>sfc_lang</c> cookie (the switch in the header), else the browser's Accept-Language, else
/// <c>Console:DefaultLanguage</c>.
/// </summary>
public sealed class ConsoleText
{
    public const string CookieName = "sfc_lang";

    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo FrenchCulture = CultureInfo.GetCultureInfo("fr-FR");

    public ConsoleText(IHttpContextAccessor accessor, IOptions<WebConsoleOptions> options)
        : this(Resolve(accessor?.HttpContext?.Request, options?.Value.DefaultLanguage ?? "en"))
    {
    }

    internal ConsoleText(string lang)
    {
        Lang = lang == "fr" ? "fr" : "en";
        Culture = IsFrench ? FrenchCulture : EnglishCulture;
    }

    /// <summary><c>en</c> or <c>fr</c>.</summary>
    public string Lang { get; }

    public bool IsFrench => Lang == "fr";

    /// <summary>The culture numbers and dates are formatted with.</summary>
    public CultureInfo Culture { get; }

    public string this[string english, string french] => IsFrench ? french : english;

    /// <summary>A whole number with the language's digit grouping (12,345 / 12 345).</summary>
    public string N(long value) => value.ToString("N0", Culture);

    /// <summary>A number with up to <paramref name="decimals"/> decimals.</summary>
    public string N(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture);

    /// <summary>A date and time in UTC, e.g. 2026-11-29 14:05 UTC (unambiguous in both languages).</summary>
    public static string When(DateTimeOffset? value) =>
        value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "—";

    /// <summary>How long ago, in words: "3 min ago" / "il y a 3 min".</summary>
    public string Ago(DateTimeOffset? value, DateTimeOffset now)
    {
        if (value is not { } v)
        {
            return this["never", "jamais"];
        }

        var span = now - v;
        var text = span.TotalSeconds < 60 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} " + this["days", "jours"];
        return IsFrench ? "il y a " + text : text + " ago";
    }

    internal static string Resolve(HttpRequest? request, string defaultLanguage)
    {
        if (request is null)
        {
            return defaultLanguage;
        }

        if (request.Cookies.TryGetValue(CookieName, out var chosen) && chosen is "en" or "fr")
        {
            return chosen;
        }

        foreach (var language in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1))
        {
            var value = language.Value.Value;
            if (value is null)
            {
                continue;
            }

            if (value.StartsWith("fr", StringComparison.OrdinalIgnoreCase))
            {
                return "fr";
            }

            if (value.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return "en";
            }
        }

        return defaultLanguage;
    }
}
