using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

public static class SyncExtensions
{
    /// <summary>The <c>sync</c> job's name.</summary>
    public const string JobName = "sync";

    /// <summary>
    /// The Salesforce client (when <c>Salesforce:ClientId</c> is set), the mirror, the sync service and its
    /// <c>sync</c> job. Safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddSync(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SyncService)))
        {
            return builder;
        }

        var salesforce = builder.Configuration.GetSection(SalesforceOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(salesforce["ClientId"]))
        {
            services.AddSalesforceClient(salesforce);
            services.AddSingleton<IStartupCheck, SalesforceStartupCheck>();
            services.AddHealthChecks().AddCheck<SalesforceHealthCheck>("salesforce", tags: ["ready"]);
            // The org's objects and fields against what the capabilities use: at start, and in /health/ready.
            services.TryAddSingleton<OrgReadiness>();
            services.TryAddSingleton<IFieldReadiness>(sp => sp.GetRequiredService<OrgReadiness>());
            services.AddHealthChecks().AddCheck<OrgReadinessHealthCheck>("salesforce-org", tags: ["ready"]);
            services.AddHostedService<OrgReadinessStartup>();
        }

        builder.AddJobs();
        services.AddValidatedOptions<SyncOptions>();
        services.TryAddSingleton<SyncObjectCatalog>();
        services.TryAddSingleton<Mirror>();
        services.TryAddSingleton<SyncStateStore>();
        services.TryAddSingleton<SchemaStore>();
        services.TryAddSingleton<ApiUsageHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiUsageHistory>());
        services.AddSingleton(sp => SalesforceClientRequired.Create<SyncService>(sp));
        services.AddSfcJob<SyncJob>(JobName, DefaultCron, "UTC", "Incremental sync of the mirror from Salesforce (every minute; slower when the org's API usage is high).");
        return builder;
    }

    /// <summary>The sync job's default schedule: every minute.</summary>
    public const string DefaultCron = "0 * * * * ?";

    /// <summary>The sync API under <c>/api/sync</c> (state per object, run now).</summary>
    public static IEndpointRouteBuilder MapSync(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapSyncApi();
        return endpoints;
    }
}
