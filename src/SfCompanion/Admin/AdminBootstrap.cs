using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Admin;

/// <summary>
/// At first start (no key stored) makes the first admin key: <c>Admin:BootstrapKey</c> when configured, otherwise a
/// generated one announced once. Runs before the server listens, so no request arrives before a key exists.
/// </summary>
internal sealed partial class AdminBootstrap(ApiKeyService keys, IOptions<AdminOptions> options, IBootstrapKeyAnnouncer announcer, ILogger<AdminBootstrap> logger)
    : IHostedLifecycleService
{
    internal const string BootstrapKeyId = "bootstrap";

    public async Task StartingAsync(CancellationToken cancellationToken) => await EnsureAsync(cancellationToken);

    /// <summary>Creates the bootstrap key when no key exists; returns it when this call created it.</summary>
    internal async Task<CreatedApiKey?> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await keys.CountAsync(cancellationToken) > 0)
        {
            return null;
        }

        var configured = options.Value.BootstrapKey;
        try
        {
            // A fixed id makes concurrent first starts of several replicas create one key, not several.
            var created = string.IsNullOrWhiteSpace(configured)
                ? await keys.StoreAsync("bootstrap admin", SfcRoles.Admin, ApiKeyService.NewSecret(), BootstrapKeyId, cancellationToken)
                : await keys.StoreAsync("bootstrap admin (from configuration)", SfcRoles.Admin, configured.Trim(), BootstrapKeyId, cancellationToken);
            if (string.IsNullOrWhiteSpace(configured))
            {
                announcer.Announce(created);
            }

            LogBootstrapKeyCreated(logger, created.Key.Id, created.Key.Prefix, string.IsNullOrWhiteSpace(configured) ? "generated" : "configuration");
            return created;
        }
        catch (ConcurrencyConflictException)
        {
            return null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bootstrap admin API key {KeyId} ({Prefix}) created from {Source}.")]
    private static partial void LogBootstrapKeyCreated(ILogger logger, string keyId, string prefix, string source);
}
