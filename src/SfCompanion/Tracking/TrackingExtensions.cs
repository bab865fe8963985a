using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;

namespace SfCompanion.Tracking;

public static class TrackingExtensions
{
    /// <summary>Tracked links, the redirect's dependencies, click aggregation and retention jobs, and the stats.</summary>
    public static IServiceCollection AddTracking(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IOptionsRules<TrackingOptions>, TrackingOptionsRules>();
        services.AddValidatedOptions<TrackingOptions>();
        services.AddRecipientTokens();
        services.AddAdmin();
        services.AddJobs(configuration);
        services.AddSingleton<TrackedLinks>();
        services.AddSingleton<ClientAddress>();
        services.AddWarmUp<ClientAddress>();
        services.AddSingleton<ClickAggregateStore>();
        services.AddSingleton<ClickAggregator>();
        services.AddSingleton<ClickRetention>();
        services.AddSingleton<TrackingStats>();
        services.AddSingleton<Consent.IPersonalDataHolder, TrackingPersonalData>();
        var cron = configuration.GetSection(TrackingOptions.SectionName)[nameof(TrackingOptions.AggregationCron)];
        services.AddSfcJob<ClickAggregationJob>(ClickAggregationJob.Name, string.IsNullOrWhiteSpace(cron) ? "0 * * * * ?" : cron, "UTC",
            "Classifies new clicks and queues member statuses, click fields, follow-up tasks, campaign figures and tracking tokens for Salesforce.");
        services.AddSfcJob<ClickRetentionJob>(ClickRetentionJob.Name, "0 30 3 * * ?", "UTC", "Removes raw clicks older than Tracking:RetentionDays.");
        return services;
    }

    /// <summary>The tracking API under <c>/api/tracking</c> (the redirect is a middleware: <see cref="RedirectEndpoint.UseTrackedRedirects"/>).</summary>
    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapTrackingApi();
        return endpoints;
    }
}
