using System.Globalization;

namespace SfCompanion.Salesforce;

/// <summary>The org's daily API usage as last reported by Salesforce (<c>Sforce-Limit-Info: api-usage=N/M</c> or <c>/limits</c>).</summary>
public sealed record ApiUsage(long Used, long Limit, DateTimeOffset ObservedAt)
{
    public double UsedPercent => Limit <= 0 ? 0 : Used * 100.0 / Limit;

    public long Remaining => Math.Max(0, Limit - Used);

    /// <summary>Parses the <c>api-usage=18/5000</c> part of a <c>Sforce-Limit-Info</c> header.</summary>
    public static bool TryParseHeader(string? header, DateTimeOffset observedAt, out ApiUsage? usage)
    {
        usage = null;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!part.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = part["api-usage=".Length..];
            var slash = value.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0
                && long.TryParse(value.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && long.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
            {
                usage = new ApiUsage(used, limit, observedAt);
                return true;
            }
        }

        return false;
    }
}
