using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SfCompanion.Sync;

/// <summary>
/// <c>/health/ready</c>'s <c>salesforce-org</c> entry: Healthy when the org has every object and field SfCompanion uses,
/// Degraded (still ready: the other capabilities keep working) with each problem, the capabilities it degrades and its fix.
/// </summary>
internal sealed class OrgReadinessHealthCheck(OrgReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = await readiness.CheckAsync(cancellationToken: cancellationToken);
        var data = new Dictionary<string, object>
        {
            ["checkedAt"] = report.CheckedAt,
            ["degradedCapabilities"] = report.DegradedCapabilities,
            ["problems"] = report.Problems.Select(p => new { @object = p.Object, field = p.Field, kind = p.Kind, capabilities = p.Capabilities, message = p.Message, fix = p.Fix }).ToList(),
        };
        if (report.Problems.Count == 0 && report.Error is null)
        {
            return HealthCheckResult.Healthy("Salesforce org: every object and field SfCompanion uses is in place.", data);
        }

        var lines = report.Problems.Select(p => p.Message).ToList();
        if (report.Error is not null)
        {
            lines.Insert(0, report.Error);
        }

        var degraded = report.DegradedCapabilities;
        var head = degraded.Count > 0 ? $"Salesforce org: {string.Join(", ", degraded)} degraded. " : "Salesforce org: ";
        return HealthCheckResult.Degraded(head + string.Join(" ", lines), data: data);
    }
}
