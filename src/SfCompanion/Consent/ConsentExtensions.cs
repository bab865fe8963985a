using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;

namespace SfCompanion.Consent;

public static class ConsentExtensions
{
    /// <summary>Consent log and state, pages, links, Salesforce import and retention, with their jobs.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(RecipientTokens)))
        {
            services.AddRecipientTokens();
        }

        services.AddValidatedOptions<ConsentOptions>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<ConsentLinks>();
        services.AddSingleton<ConsentSalesforceImport>();
        services.AddSingleton<ConsentRetention>();
        services.AddSfcJob<ConsentSalesforceImportJob>(ConsentSalesforceImportJob.Name, "0 */15 * * * ?", "UTC",
            "Imports opt-outs made in Salesforce into the consent log and keeps opt-outs from being undone without proof.");
        services.AddSfcJob<ConsentRetentionJob>(ConsentRetentionJob.Name, "0 30 3 * * ?", "Europe/Paris",
            "Anonymises consent data of people without interaction for Consent:RetentionDays (3 years by default).");
        return services;
    }
}
