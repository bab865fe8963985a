using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;

namespace SfCompanion.Writeback;

public static class WritebackExtensions
{
    /// <summary>The outbox every capability enqueues into, the writeback that drains it and its <c>writeback</c> job. Safe to call twice.</summary>
    public static IHostApplicationBuilder AddWriteback(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(WritebackService)))
        {
            return builder;
        }

        builder.AddJobs();
        services.AddValidatedOptions<WritebackOptions>();
        services.TryAddSingleton<Outbox>();
        services.AddSingleton(sp => SalesforceClientRequired.Create<WritebackService>(sp));
        services.AddSfcJob<WritebackJob>(WritebackJob.Name, "0 */5 * * * ?", "UTC", "Applies the outbox to Salesforce.");
        return builder;
    }

    /// <summary>The writeback API under <c>/api/writeback</c> (outbox, dead letters).</summary>
    public static IEndpointRouteBuilder MapWriteback(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapWritebackApi();
        return endpoints;
    }
}
