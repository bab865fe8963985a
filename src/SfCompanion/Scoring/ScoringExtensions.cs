using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Jobs;
using SfCompanion.Rules;
using SfCompanion.Sync;

namespace SfCompanion.Scoring;

public static class ScoringExtensions
{
    /// <summary>Scoring routines on the rules' projection, and the daily <c>scoring</c> job (also after syncs). Safe to call twice.</summary>
    public static IHostApplicationBuilder AddScoring(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ScoringService)))
        {
            return builder;
        }

        builder.AddRules();
        builder.AddJobs();
        services.TryAddSingleton<ScoringService>();
        services.AddSingleton<ISyncFollower, ScoringSyncFollower>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWrittenFields, ScoringWrittenFields>());
        services.AddSfcJob<ScoringJob>(ScoringJob.Name, "0 30 5 * * ?", "UTC",
            "Scores every routine's market, writes scores, bands, reasons, tags and match dates that changed; also runs after a sync that changed records.");
        return builder;
    }

    /// <summary>The scoring API under <c>/api/scoring</c>.</summary>
    public static IEndpointRouteBuilder MapScoring(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapScoringApi();
        return endpoints;
    }
}
