using System.Globalization;
using CsvHelper;
using SfCompanion.Consent;

namespace SfCompanion.WebConsole.Consent;

/// <summary>
/// Reads the CSV form of a consent import: a header row naming the columns of
/// <see cref="ConsentEventImport.CsvColumns"/> (subject, channel and action are required; at, purpose and note may be
/// left out), comma- or semicolon-separated, UTF-8; each row is checked with the API's rules.
/// </summary>
public static class ConsentCsvImport
{
    private static readonly string[] RequiredColumns = ["subject", "channel", "action"];

    /// <summary>Largest file accepted.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>Most rows in one file.</summary>
    public const int MaxRows = 10_000;

    /// <summary>The rows, or a problem with the file as a whole (its header, its size).</summary>
    public static (IReadOnlyList<ConsentCsvRow> Rows, string? FileProblem) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var firstLine = text.AsSpan()[..Math.Max(0, text.AsSpan().IndexOfAny('\r', '\n') is var i and >= 0 ? i : text.Length)];
        var separator = firstLine.Count(';') > firstLine.Count(',') ? ';' : ',';
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = true,
            SkipEmptyLines = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
        };
        using var input = new StringReader(text.TrimStart('\uFEFF'));
        using var reader = CsvReader.Create(input, options, leaveOpen: true);
        var header = reader.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return ([], $"header = '{Shorten(string.Join(separator, reader.Headers))}': the first row must name the columns {string.Join(",", ConsentEventImport.CsvColumns)} (missing: {string.Join(", ", missing)}).");
        }

        var rows = new List<ConsentCsvRow>();
        var line = 1;
        while (reader.Read())
        {
            line++;
            if (rows.Count == MaxRows)
            {
                return ([], $"rows: more than {MaxRows:N0} in one file; split it.");
            }

            string? Field(string name) => header.IndexOf(name) is var index and >= 0 && index < reader.FieldCount && reader.GetString(index).Trim() is { Length: > 0 } v ? v : null;
            var problems = new List<string>();
            DateTimeOffset? at = null;
            if (Field("at") is { } atText)
            {
                if (DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    at = parsed;
                }
                else
                {
                    problems.Add($"at = '{Shorten(atText)}': must be a date and time such as 2025-01-31T10:00:00Z, or empty for now.");
                }
            }

            var e = new ConsentApi.ImportedEvent(Field("subject"), Field("channel")?.ToLowerInvariant(), Field("action")?.ToLowerInvariant(), at, Field("purpose"), Field("note"));
            problems.InsertRange(0, ConsentEventImport.Problems(e));
            rows.Add(new ConsentCsvRow(line, e, problems));
        }

        return rows.Count == 0 ? ([], "rows: the file has a header but no event.") : (rows, null);
    }

    private static string Shorten(string value) => ConsentSubjects.Shorten(value) ?? "";
}
