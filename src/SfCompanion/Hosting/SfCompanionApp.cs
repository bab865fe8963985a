using SfCompanion.Admin;
using SfCompanion.Consent;
using SfCompanion.Jobs;
using SfCompanion.Recipients;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Tracking;
using SfCompanion.Writeback;

namespace SfCompanion.Hosting;

/// <summary>Builds the service: every capability registered and mapped. Used by the normal start and by the demo.</summary>
public static class SfCompanionApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration files are read at start only: watching them would watch the content root recursively, and
        // the SQLite store under ./data would wake that watcher on every write.
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.AddSfCompanionHosting(args);
        configure?.Invoke(builder);
        builder.Services.AddStorage();
        builder.Services.AddSync(builder.Configuration);
        builder.Services.AddWriteback();
        builder.Services.AddAdmin();
        builder.Services.AddRecipientTokens();
        builder.Services.AddJobs(builder.Configuration);
        builder.Services.AddSfcJob<SyncJob>("sync", "0 */15 * * * ?", "UTC", "Incremental sync of the mirror from Salesforce.");
        builder.Services.AddSfcJob<WritebackJob>(WritebackJob.Name, "0 */5 * * * ?", "UTC", "Applies the outbox to Salesforce.");
        builder.Services.AddConsent();
        builder.Services.AddTracking(builder.Configuration);

        var app = builder.Build();
        app.UseSfCompanionPipeline(beforeRouting: a => a.UseTrackedRedirects());
        app.MapSfCompanionHosting();
        var api = app.MapApiGroup();
        api.MapAdminApi();
        api.MapJobsApi();
        api.MapSyncApi();
        api.MapWritebackApi();
        api.MapConsentApi();
        app.MapConsentPages();
        app.MapTracking();
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
