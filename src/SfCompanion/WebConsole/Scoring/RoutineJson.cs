using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SfCompanion.Scoring;

namespace SfCompanion.WebConsole.Scoring;

/// <summary>
/// The scoring routine editor's text: a routine in the API's JSON shape (docs/scoring.md), indented; read back with
/// an error naming the JSON path, line and position of what could not be read.
/// </summary>
public static class RoutineJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static string Write(RoutineDefinition routine) => JsonSerializer.Serialize(routine, Options);

    /// <summary>The routine, with lists and objects given as null read as empty; or why the text is not a routine.</summary>
    public static (RoutineDefinition? Routine, string? Error) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "The routine is empty: write it as JSON, e.g. { \"object\": \"Lead\", \"mandatory\": [ { \"name\": \"publisher\", \"formula\": \"ISPICKVAL(Industry, 'Technology')\" } ] }.");
        }

        try
        {
            var routine = JsonSerializer.Deserialize<RoutineDefinition>(text, Options);
            if (routine is null)
            {
                return (null, "The routine must be a JSON object ({ … }), not null.");
            }

            return (routine.WithDefaults(), null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1})")
                : "";
            var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            return (null, $"JSON at {path}{where}: {FirstSentence(ex.Message)} Check the value's type (text in quotes, numbers without) and the commas and brackets around it.");
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
