using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Tracking;

public static class TrackingExtensions
{
    /// <summary>Tracked links, the redirect's dependencies, click aggregation and retention jobs, and the stats.</summary>
    public static IHostApplicationBuilder AddTracking(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(TrackedLinks)))
        {
            return builder;
        }

        services.AddOptionsRules<TrackingOptions, TrackingOptionsRules>();
        services.AddValidatedOptions<TrackingOptions>();
        builder.AddRecipientTokens();
        builder.AddAdmin();
        builder.AddWriteback();
        builder.AddSync();
        services.AddSingleton<TrackedLinks>();
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<ClickRecorder>();
        services.AddSingleton<ClickJournalDrainer>();
        services.AddHostedService(sp => sp.GetRequiredService<ClickJournalDrainer>());
        services.AddWarmUp<ClientAddress>();
        services.AddSingleton<ClickAggregateStore>();
        services.AddSingleton<ClickAggregator>();
        services.AddSingleton<ClickRetention>();
        services.AddSingleton<TrackingStats>();
        services.AddSingleton<Consent.IPersonalDataHolder, TrackingPersonalData>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWrittenFields, TrackingWrittenFields>());
        var cron = builder.Configuration.GetSection(TrackingOptions.SectionName)[nameof(TrackingOptions.AggregationCron)];
        services.AddSfcJob<ClickAggregationJob>(ClickAggregationJob.Name, string.IsNullOrWhiteSpace(cron) ? "0 * * * * ?" : cron, "UTC",
            "Classifies new clicks and queues member statuses, click fields, follow-up tasks, campaign figures and tracking tokens for Salesforce.");
        services.AddSfcJob<ClickRetentionJob>(ClickRetentionJob.Name, "0 30 3 * * ?", "UTC", "Removes raw clicks older than Tracking:RetentionDays.");
        return builder;
    }

    /// <summary>
    /// The tracking API under <c>/api/tracking</c>. The redirect itself is a middleware in front of routing
    /// (<see cref="RedirectEndpoint.UseTrackedRedirects"/>), added by the composition root where the web role runs.
    /// </summary>
    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapTrackingApi();
        return endpoints;
    }
}
