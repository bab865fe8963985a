using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SfCompanion.Hosting;

namespace SfCompanion.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the configured storage adapter behind every storage port, the group-commit log and the store's
    /// health check. Safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IStore)))
        {
            return builder;
        }

        services.AddOptionsRules<StorageOptions, StorageOptionsRules>();
        services.AddValidatedOptions<StorageOptions>();
        services.AddSingleton<IStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            // Opening happens once at start; Redis has no synchronous connect that reports errors as well as this.
            return options.UsesRedis
                ? RedisStore.ConnectAsync(options.Redis, time).GetAwaiter().GetResult()
                : SqliteStore.Open(options.Sqlite, time);
        });
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton<ILogStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton<ILeaseStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton<ICounterStore>(sp => sp.GetRequiredService<IStore>());
        services.AddSingleton(sp => new GroupCommitLog(sp.GetRequiredService<ILogStore>()));
        services.AddSingleton<IStartupCheck, StoreStartupCheck>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return builder;
    }
}

/// <summary>Opens the store before the host starts so a bad store setting stops start-up with a readable message.</summary>
internal sealed class StoreStartupCheck : IStartupCheck
{
    public IEnumerable<string> Run(IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IStore>();
            return [];
        }
        catch (StoreConfigurationException ex)
        {
            return [ex.Message];
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            // Already reported by the options check.
            return [];
        }
    }
}

internal sealed class StoreHealthCheck(IStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["provider"] = store.ProviderName, ["durable"] = health.Durable };
        return !health.Reachable ? HealthCheckResult.Unhealthy(health.Description, data: data)
            : !health.Durable ? HealthCheckResult.Degraded(health.Description, data: data)
            : HealthCheckResult.Healthy(health.Description, data);
    }
}
