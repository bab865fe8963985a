using Microsoft.Extensions.Options;
using SfCompanion.Hosting;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

public static class SyncExtensions
{
    /// <summary>The Salesforce client (when configured), the mirror and the sync service.</summary>
    public static IServiceCollection AddSync(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var salesforce = configuration.GetSection(SalesforceOptions.SectionName);
        if (!string.IsNullOrWhiteSpace(salesforce["ClientId"]))
        {
            services.AddSalesforceClient(salesforce);
            services.AddSingleton<IStartupCheck, SalesforceStartupCheck>();
            services.AddHealthChecks().AddCheck<SalesforceHealthCheck>("salesforce", tags: ["ready"]);
        }

        services.AddValidatedOptions<SyncOptions>();
        services.AddSingleton<SyncObjectCatalog>();
        services.AddSingleton<Mirror>();
        services.AddSingleton<SyncStateStore>();
        // A factory: the service needs the Salesforce client, which exists only once Salesforce is configured.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SyncService>(sp));
        return services;
    }
}

/// <summary>Reports every problem of the <c>Salesforce</c> section with the others at start.</summary>
internal sealed class SalesforceStartupCheck : IStartupCheck
{
    public IEnumerable<string> Run(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<SalesforceOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
        catch (InvalidOperationException ex)
        {
            return [ex.Message];
        }
    }
}
