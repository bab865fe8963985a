namespace SfCompanion.Sync;

/// <summary>Runs the org readiness check once the host has started, in the background (an unreachable org does not delay start); problems are logged as warnings.</summary>
internal sealed class OrgReadinessStartup(OrgReadiness readiness) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.CheckAsync(force: true, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the check finished.
        }
    }
}
