using Microsoft.Extensions.Diagnostics.HealthChecks;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

/// <summary>
/// Ready when an access token can be obtained (cached tokens cost nothing; token requests do not count
/// against the API limit). Reports the last API usage Salesforce returned.
/// </summary>
internal sealed class SalesforceHealthCheck(SalesforceTokenProvider tokens, ISalesforceClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        if (client.LastApiUsage is { } usage)
        {
            data["apiUsed"] = usage.Used;
            data["apiLimit"] = usage.Limit;
        }

        try
        {
            await tokens.GetTokenAsync(cancellationToken);
            return HealthCheckResult.Healthy("Salesforce: authenticated", data);
        }
        catch (SalesforceAuthException ex)
        {
            return HealthCheckResult.Unhealthy("Salesforce authentication fails: " + ex.Message, data: data);
        }
        catch (HttpRequestException ex)
        {
            // Not ready for Salesforce work, but the outbox keeps accepting: report degraded rather than failing probes.
            return HealthCheckResult.Degraded("Salesforce unreachable: " + ex.Message, data: data);
        }
    }
}
