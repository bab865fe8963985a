using System.Globalization;

namespace SfCompanion.Salesforce;

/// <summary>
/// How field values are kept in the mirror and compared with desired values. REST returns typed JSON,
/// Bulk API 2.0 returns CSV text; both end up as the same canonical text so a value read either way, or
/// written by SfCompanion, compares equal when Salesforce would consider it unchanged.
/// </summary>
public static class FieldValues
{
    /// <summary>Canonical text of a value: null for null/empty, <c>true</c>/<c>false</c>, invariant numbers, dates as sent.</summary>
    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s.Length == 0 ? null : s,
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset dt => SalesforceDateTime.Format(dt),
        DateTime dt => SalesforceDateTime.Format(dt),
        DateOnly d => SalesforceDateTime.Format(d),
        IEnumerable<string> values => string.Join(';', values),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// Whether two canonical texts denote the same Salesforce value: equal text, the same number
    /// (<c>5</c> and <c>5.0</c>), the same instant (<c>+0000</c> and <c>Z</c>), or the same boolean in any case.
    /// </summary>
    public static bool AreEqual(string? left, string? right)
    {
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }

        if (left is null || right is null)
        {
            return false;
        }

        if (bool.TryParse(left, out var lb) && bool.TryParse(right, out var rb))
        {
            return lb == rb;
        }

        if (decimal.TryParse(left, NumberStyles.Float, CultureInfo.InvariantCulture, out var ld)
            && decimal.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd))
        {
            return ld == rd;
        }

        return left.Length > 10 && right.Length > 10 && left[10] == 'T' && right[10] == 'T'
            && SalesforceDateTime.TryParse(left, out var lt) && SalesforceDateTime.TryParse(right, out var rt) && lt == rt;
    }
}
