using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.WebConsole;

/// <summary>The console's settings (section <c>Console</c>).</summary>
public sealed class WebConsoleOptions : ISectionOptions
{
    public static string SectionName => "Console";

    /// <summary>Language of the console when the browser asks for neither French nor English and nobody chose one: <c>en</c> or <c>fr</c>.</summary>
    [AllowedValues("en", "fr", ErrorMessage = "must be 'en' or 'fr'")]
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>Hours a console session lasts without activity (sliding); 1 to 168.</summary>
    [Range(1, 168, ErrorMessage = "must be between 1 and 168 hours (e.g. 8)")]
    public int SessionHours { get; set; } = 8;

    /// <summary>Whether the break-glass sign-in with an API key is offered (on by default; the key's role is the session's).</summary>
    public bool ApiKeySignIn { get; set; } = true;
}
