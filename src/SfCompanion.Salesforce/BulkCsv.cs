using System.Globalization;
using System.Text;
using CsvHelper;

namespace SfCompanion.Salesforce;

/// <summary>CSV as Bulk API 2.0 expects it: comma-separated, LF line endings, UTF-8, <c>#N/A</c> for null.</summary>
internal static class BulkCsv
{
    public const string NullValue = "#N/A";

    public static CsvReaderOptions ReaderOptions { get; } = new()
    {
        Separator = ',',
        HasHeader = true,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        MissingField = CsvMissingFieldHandling.ReturnEmpty,
    };

    public static CsvWriterOptions WriterOptions { get; } = new()
    {
        Separator = ',',
        NewLine = "\n",
        HasHeader = false,
    };

    /// <summary>
    /// The header row first (every field any record has, in the order first seen), then one row per record; a field a
    /// record does not have is an empty cell, which Salesforce leaves unchanged (null is <see cref="NullValue"/>).
    /// </summary>
    public static IEnumerable<string?[]> RecordsToRows(IEnumerable<SObjectRecord> records)
    {
        var all = records as IReadOnlyList<SObjectRecord> ?? [.. records];
        var header = new List<string>();
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in all)
        {
            ArgumentNullException.ThrowIfNull(record);
            foreach (var name in record.Fields.Keys)
            {
                if (known.Add(name))
                {
                    header.Add(name);
                }
            }
        }

        if (all.Count == 0)
        {
            yield break;
        }

        yield return [.. header];
        foreach (var record in all)
        {
            var row = new string?[header.Count];
            for (var i = 0; i < header.Count; i++)
            {
                row[i] = record.TryGetValue(header[i], out var value) ? Format(value) : "";
            }

            yield return row;
        }
    }

    /// <summary>Rows of a CSV stream, header first.</summary>
    public static IEnumerable<string?[]> StreamToRows(Stream csv)
    {
        using var reader = CsvReader.Create(csv, ReaderOptions, leaveOpen: true);
        yield return [.. reader.Headers];
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.GetString(i);
            }

            yield return row;
        }
    }

    public static string Format(object? value) => value switch
    {
        // An empty cell leaves the field as it is: an empty value is a cleared one, as in the REST API.
        null or "" => NullValue,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset dto => SalesforceDateTime.Format(dto),
        DateTime dt => SalesforceDateTime.Format(dt),
        DateOnly d => SalesforceDateTime.Format(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> multi => string.Join(';', multi),
        SObjectRecord => throw new ArgumentException("Bulk CSV cannot hold nested records; use a dotted column such as Account.External_Id__c."),
        _ => value.ToString() ?? "",
    };

    /// <summary>Serialises one row with CsvHelper's quoting rules.</summary>
    public sealed class RowSerializer : IDisposable
    {
        private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
        private readonly CsvWriter _writer;

        public RowSerializer() => _writer = CsvWriter.Create(_text, WriterOptions, leaveOpen: true);

        public byte[] Serialize(IReadOnlyList<string?> fields)
        {
            _text.GetStringBuilder().Clear();
            foreach (var field in fields)
            {
                _writer.WriteField(field ?? "");
            }

            _writer.EndRecord();
            _writer.Flush();
            return Encoding.UTF8.GetBytes(_text.ToString());
        }

        public void Dispose()
        {
            _writer.Dispose();
            _text.Dispose();
        }
    }

    /// <summary>Reads a results CSV into header-keyed rows.</summary>
    public static async Task<List<Dictionary<string, string?>>> ReadRowsAsync(Stream csv, CancellationToken cancellationToken)
    {
        var rows = new List<Dictionary<string, string?>>();
        var reader = CsvReader.Create(csv, ReaderOptions, leaveOpen: true);
        await using (reader.ConfigureAwait(false))
        {
            var header = reader.Headers;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new Dictionary<string, string?>(header.Count, StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < header.Count; i++)
                {
                    row[header[i]] = i < reader.FieldCount ? reader.GetString(i) : null;
                }

                rows.Add(row);
            }
        }

        return rows;
    }
}
