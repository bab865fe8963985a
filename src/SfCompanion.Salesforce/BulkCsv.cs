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

    /// <summary>The header row first, then one row per record, columns taken from the first record.</summary>
    public static IEnumerable<string?[]> RecordsToRows(IEnumerable<SObjectRecord> records)
    {
        string[]? header = null;
        HashSet<string>? known = null;
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
            if (header is null)
            {
                header = [.. record.Fields.Keys];
                known = new HashSet<string>(header, StringComparer.OrdinalIgnoreCase);
                yield return header;
            }
            else
            {
                foreach (var name in record.Fields.Keys)
                {
                    if (!known!.Contains(name))
                    {
                        throw new ArgumentException($"Field {name} is not in the first record; Bulk CSV columns come from the first record.", nameof(records));
                    }
                }
            }

            var row = new string?[header.Length];
            for (var i = 0; i < header.Length; i++)
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
        null => NullValue,
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
