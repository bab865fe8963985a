using System.Globalization;
using System.Text;

namespace SfCompanion.Soak;

/// <summary>The invariant table, in Markdown (pasted as is into docs/BENCHMARKS.md).</summary>
internal static class SoakReport
{
    public static string Table(string shape, IReadOnlyList<InvariantResult> results)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Shape {shape}:");
        table.AppendLine();
        table.AppendLine("| Invariant | Checked | Violations |");
        table.AppendLine("|---|---:|---:|");
        foreach (var result in results)
        {
            var exempt = result.Exempt > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({result.Exempt} deleted by a rep: exempt)") : "";
            table.AppendLine(CultureInfo.InvariantCulture, $"| {result.Name} | {result.Checked:N0}{exempt} | {result.Violations.Count:N0} |");
        }

        return table.ToString();
    }
}
