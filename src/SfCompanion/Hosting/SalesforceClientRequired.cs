using SfCompanion.Salesforce;

namespace SfCompanion.Hosting;

/// <summary>
/// Builds services that talk to Salesforce. The client is registered only when <c>Salesforce:ClientId</c> is set,
/// so the service can start (and serve redirects and pages) without an org; a job that needs Salesforce then fails
/// with this message instead of a dependency-injection error.
/// </summary>
public static class SalesforceClientRequired
{
    public const string Message = "Salesforce is not configured: set Salesforce:ClientId and the other Salesforce settings (see docs/salesforce.md).";

    public static T Create<T>(IServiceProvider services)
        where T : notnull =>
        services.GetService<ISalesforceClient>() is null
            ? throw new InvalidOperationException(Message)
            : ActivatorUtilities.CreateInstance<T>(services);
}
