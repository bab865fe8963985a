using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Rules.Projection;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Rules;

public static class RulesExtensions
{
    /// <summary>Rules and roll-ups, the columnar projection they compute on, and the daily <c>rules</c> job. Safe to call twice.</summary>
    public static IHostApplicationBuilder AddRules(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RulesService)))
        {
            return builder;
        }

        builder.AddSync();
        builder.AddWriteback();
        builder.AddJobs();
        services.AddValidatedOptions<RulesOptions>();
        services.TryAddSingleton<ColumnarProjection>();
        services.TryAddSingleton<RulesService>();
        services.AddSingleton<ISyncFollower, RulesSyncFollower>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWrittenFields, RulesWrittenFields>());
        services.AddSfcJob<RulesJob>(RulesJob.Name, "0 15 5 * * ?", "UTC",
            "Recomputes every rule (VIP flags and others) so flags expire by themselves, and queues what changed for Salesforce; also runs after a sync that changed records.");
        return builder;
    }

    /// <summary>The rules and roll-ups API under <c>/api/rules</c> and <c>/api/rollups</c>.</summary>
    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapRulesApi();
        return endpoints;
    }
}
