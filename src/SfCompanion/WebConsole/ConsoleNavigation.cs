using SfCompanion.Admin;

namespace SfCompanion.WebConsole;

/// <summary>The console's pages in the header, in order, with the lowest role that sees each.</summary>
public static class ConsoleNavigation
{
    public sealed record Item(string Path, string English, string French, string Role);

    public static IReadOnlyList<Item> Items { get; } =
    [
        new(ConsoleAuth.BasePath, "Overview", "Vue d'ensemble", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/jobs", "Jobs", "Tâches", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/sync", "Sync", "Synchronisation", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/writeback", "Writeback", "Écriture", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/tracking", "Tracking", "Suivi des clics", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/consent", "Consent", "Consentement", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/rules", "Rules", "Règles", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/scoring", "Scoring", "Scoring", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/rotation", "Rotation", "Rotation", SfcRoles.Viewer),
        new(ConsoleAuth.BasePath + "/keys", "API keys", "Clés d'API", SfcRoles.Admin),
    ];
}
