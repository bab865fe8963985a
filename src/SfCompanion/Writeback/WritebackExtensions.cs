using SfCompanion.Hosting;

namespace SfCompanion.Writeback;

public static class WritebackExtensions
{
    /// <summary>The outbox every capability enqueues into, and the writeback that drains it.</summary>
    public static IServiceCollection AddWriteback(this IServiceCollection services)
    {
        services.AddValidatedOptions<WritebackOptions>();
        services.AddSingleton<Outbox>();
        // A factory: the service needs the Salesforce client, which exists only once Salesforce is configured.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<WritebackService>(sp));
        return services;
    }
}
