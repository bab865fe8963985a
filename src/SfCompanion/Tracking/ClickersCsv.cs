using System.Globalization;
using System.Text;
using CsvHelper;

namespace SfCompanion.Tracking;

/// <summary>The clickers of a campaign as a CSV file (UTF-8, comma-separated, one header row): the call list a spreadsheet opens.</summary>
public static class ClickersCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string FileName(string campaignId) => $"clickers-{campaignId}.csv";

    /// <summary>The rows of <paramref name="stats"/>'s human clickers, or only those who have not responded otherwise.</summary>
    public static byte[] Write(CampaignStats stats, bool callOnly)
    {
        ArgumentNullException.ThrowIfNull(stats);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Separator = ',', NewLine = "\r\n", HasHeader = false }, leaveOpen: true))
        {
            WriteRow(csv, ["RecipientId", "Name", "Email", "Phone", "Company", "FirstClick", "LastClick", "Clicks", "Links", "MemberStatus", "RespondedOtherwise"]);
            foreach (var c in callOnly ? stats.CallThese : stats.Clickers)
            {
                WriteRow(csv,
                [
                    c.RecipientId, Safe(c.Name), Safe(c.Email), Safe(c.Phone), Safe(c.Company),
                    c.FirstClick.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    c.LastClick.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    c.Clicks.ToString(CultureInfo.InvariantCulture), Safe(string.Join("; ", c.Links)), Safe(c.MemberStatus), c.RespondedOtherwise ? "true" : "false",
                ]);
            }

            csv.Flush();
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void WriteRow(CsvWriter csv, string?[] fields)
    {
        foreach (var field in fields)
        {
            csv.WriteField(field ?? "");
        }

        csv.EndRecord();
    }

    /// <summary>Spreadsheets run cells starting with = + - @ as formulas: neutralise them (names come from Salesforce data).</summary>
    private static string? Safe(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
