using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Consent;

public static class ConsentExtensions
{
    /// <summary>Consent log and state, pages, links, Salesforce import and retention, with their jobs. Safe to call twice.</summary>
    public static IHostApplicationBuilder AddConsent(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ConsentService)))
        {
            return builder;
        }

        builder.AddRecipientTokens();
        builder.AddWriteback();
        builder.AddSync();
        services.AddValidatedOptions<ConsentOptions>();
        services.AddSingleton<ConsentStore>();
        services.AddSingleton<ConsentService>();
        services.AddSingleton<ConsentLinks>();
        services.AddSingleton<ConsentSalesforceImport>();
        services.AddSingleton<ConsentRetention>();
        services.AddSingleton<ISyncFieldSource, ConsentSyncFields>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWrittenFields, ConsentWrittenFields>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISyncFollower, ConsentSyncFollower>());
        services.AddSfcJob<ConsentSalesforceImportJob>(ConsentSalesforceImportJob.Name, "0 */15 * * * ?", "UTC",
            "Imports opt-outs made in Salesforce into the consent log and keeps opt-outs from being undone without proof.");
        services.AddSfcJob<ConsentRetentionJob>(ConsentRetentionJob.Name, "0 30 3 * * ?", "Europe/Paris",
            "Anonymises consent data of people without interaction for Consent:RetentionDays (3 years by default).");
        return builder;
    }

    /// <summary>The public preference, unsubscribe and confirmation pages, and the consent API under <c>/api/consent</c>.</summary>
    public static IEndpointRouteBuilder MapConsent(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapConsentPages();
        endpoints.MapApiGroup().MapConsentApi();
        return endpoints;
    }
}

/// <summary>The Individual link of leads and contacts, in the mirror whenever consent writes to the Individual model.</summary>
internal sealed class ConsentSyncFields(IOptions<ConsentOptions> options) : ISyncFieldSource
{
    public IEnumerable<SyncFieldRequirement> RequiredFields()
    {
        if (options.Value.WriteIndividual || options.Value.WriteContactPointTypeConsent)
        {
            yield return new("Lead", "IndividualId", "Consent:WriteIndividual / Consent:WriteContactPointTypeConsent");
            yield return new("Contact", "IndividualId", "Consent:WriteIndividual / Consent:WriteContactPointTypeConsent");
        }
    }
}
