using System.Globalization;

namespace SfCompanion.Salesforce;

/// <summary>Salesforce's wire formats for dates and date-times (<c>2024-01-31T10:00:00.000+0000</c>).</summary>
public static class SalesforceDateTime
{
    /// <summary>The format Salesforce writes in JSON responses.</summary>
    public const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffzzz";

    public const string DateFormat = "yyyy-MM-dd";

    private static readonly string[] ParseFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.fffK",
        "yyyy-MM-dd'T'HH:mm:ss.fffzzz",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Formats as <c>2024-01-31T10:00:00.000+0000</c> (UTC, offset without colon, as Salesforce does).</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    /// <summary>Formats a <see cref="DateTime"/>; unspecified kinds are taken as UTC.</summary>
    public static string Format(DateTime value) =>
        Format(value.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(value, TimeSpan.Zero) : new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero));

    public static string Format(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses Salesforce date-times: <c>+0000</c>, <c>+00:00</c> and <c>Z</c> offsets, with or without milliseconds.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // .NET's "zzz" wants "+00:00"; Salesforce writes "+0000".
        var normalized = text;
        if (text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && char.IsAsciiDigit(text[^1]) && text[^3] != ':')
        {
            normalized = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return DateTimeOffset.TryParseExact(normalized, ParseFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static DateTimeOffset Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a Salesforce date-time.");
}
