using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace SfCompanion.Salesforce;

/// <summary>Registers the Salesforce client with <see cref="IHttpClientFactory"/>.</summary>
public static class SalesforceServiceCollectionExtensions
{
    /// <summary>Name of the HTTP client for REST and Bulk calls (configure it to change the primary handler).</summary>
    public const string ApiClientName = "SfCompanion.Salesforce.Api";

    /// <summary>Name of the HTTP client for the OAuth token endpoint.</summary>
    public const string OAuthClientName = "SfCompanion.Salesforce.OAuth";

    /// <summary>Binds <see cref="SalesforceOptions"/> from <paramref name="section"/> (usually <c>configuration.GetSection("Salesforce")</c>).</summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return services.AddSalesforceClient(builder => builder.Bind(section));
    }

    /// <summary>Configures <see cref="SalesforceOptions"/> in code.</summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, Action<SalesforceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddSalesforceClient(builder => builder.Configure(configure));
    }

    /// <summary>
    /// Registers <see cref="ISalesforceClient"/>, <see cref="QuotaGuard"/>, <see cref="SalesforceTokenProvider"/> and
    /// <see cref="SalesforceMetrics"/>, with options validated at start-up. Both HTTP clients are named
    /// (<see cref="ApiClientName"/>, <see cref="OAuthClientName"/>) so hosts can change their primary handler.
    /// </summary>
    public static IServiceCollection AddSalesforceClient(this IServiceCollection services, Action<OptionsBuilder<SalesforceOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configureOptions);

        var optionsBuilder = services.AddOptions<SalesforceOptions>();
        configureOptions(optionsBuilder);
        optionsBuilder.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SalesforceOptions>, SalesforceOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<QuotaGuard>();
        services.TryAddSingleton(sp => new SalesforceMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<QuotaGuard>()));
        services.TryAddSingleton(sp => new SalesforceTokenProvider(
            RestService.ForGenerated<ISalesforceOAuthApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(OAuthClientName)),
            sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SalesforceTokenProvider>>()));

        var oauth = services.AddHttpClient(OAuthClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue;
                client.BaseAddress = new Uri(options.LoginUrl.TrimEnd('/') + "/");
                client.Timeout = Timeout.InfiniteTimeSpan;
            });
        oauth
            .AddResilienceHandler("salesforce-oauth", ConfigurePipeline);
        oauth.AddHttpMessageHandler(sp => new SalesforceTelemetryHandler(
                sp.GetRequiredService<QuotaGuard>(), sp.GetRequiredService<SalesforceMetrics>(), sp.GetRequiredService<TimeProvider>(), enforceBudget: false));

        var api = services.AddRefitGeneratedClient<ISalesforceApi>(new RefitSettings(), ApiClientName)
            .ConfigureHttpClient(client =>
            {
                client.BaseAddress = SalesforceAuthHandler.PlaceholderBaseAddress;
                // Bodies are streamed after the headers arrive; the resilience pipeline owns the timeouts.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler(sp => new SalesforceAuthHandler(sp.GetRequiredService<SalesforceTokenProvider>()));
        api.AddResilienceHandler("salesforce-api", ConfigurePipeline);
        api.AddHttpMessageHandler(sp => new SalesforceTelemetryHandler(
                sp.GetRequiredService<QuotaGuard>(), sp.GetRequiredService<SalesforceMetrics>(), sp.GetRequiredService<TimeProvider>(), enforceBudget: true));

        services.TryAddTransient<ISalesforceClient>(sp => new SalesforceClient(
            sp.GetRequiredService<ISalesforceApi>(),
            sp.GetRequiredService<IOptionsMonitor<SalesforceOptions>>(),
            sp.GetRequiredService<QuotaGuard>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SalesforceClient>>()));
        return services;
    }

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<SalesforceOptions>>().CurrentValue;
        pipeline.AddTimeout(options.TotalRequestTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = SalesforceRetryPolicy.ShouldRetryAsync,
            });
        }

        pipeline.AddTimeout(options.RequestTimeout);
    }
}
