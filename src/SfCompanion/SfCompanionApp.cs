using SfCompanion.Admin;
using SfCompanion.Consent;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;
using SfCompanion.Rotation;
using SfCompanion.Rules;
using SfCompanion.Scoring;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Tracking;
using SfCompanion.WebConsole;
using SfCompanion.Writeback;

namespace SfCompanion;

/// <summary>
/// The composition root: the shared plumbing, then every capability, each registered by its <c>Add…</c> and mapped
/// by its <c>Map…</c>. Used by the normal start, the demo and the tests.
/// </summary>
public static class SfCompanionApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration files are read at start only: watching them would watch the content root recursively, and
        // the SQLite store under ./data would wake that watcher on every write.
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.AddServiceDefaults(args);
        configure?.Invoke(builder);

        builder.AddStorage();
        builder.AddAdmin();
        builder.AddJobs();
        builder.AddSync();
        builder.AddWriteback();
        builder.AddRecipientTokens();
        builder.AddConsent();
        builder.AddTracking();
        builder.AddRules();
        builder.AddScoring();
        builder.AddRotation();
        builder.AddWebConsole();
        builder.AddConsoleSalesforceSignIn();

        var app = builder.Build();
        var roles = app.Configuration.Roles();
        // The redirect answers before routing and authentication; only where the public endpoints are served.
        app.UseServiceDefaults(beforeRouting: roles.RunsWeb ? a => a.UseTrackedRedirects() : null);
        app.MapServiceDefaults();
        if (roles.RunsWeb)
        {
            // The worker role serves health and metrics only: no public endpoint, no admin API.
            app.MapAdmin();
            app.MapJobs();
            app.MapSync();
            app.MapWriteback();
            app.MapConsent();
            app.MapTracking();
            app.MapRules();
            app.MapScoring();
            app.MapRotation();
            app.MapWebConsole();
            app.MapConsoleSalesforceSignIn();
        }

        return app;
    }

    /// <summary>Runs the start-up checks; prints every problem and returns false when the service must not start.</summary>
    public static async Task<bool> CheckAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var problems = app.Services.RunStartupChecks();
        if (problems.Count == 0)
        {
            return true;
        }

        await Console.Error.WriteLineAsync(
            $"SfCompanion cannot start: the configuration has {problems.Count} problem(s):{Environment.NewLine}  - " +
            string.Join(Environment.NewLine + "  - ", problems) + Environment.NewLine +
            "Settings come from appsettings.json, secrets.json (or SFCOMPANION_SECRETS_FILE), environment variables (Section__Key) and --Section:Key=value.");
        return false;
    }
}
