using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SfCompanion.Hosting;

/// <summary>
/// Builds a singleton while the host starts, before the server takes requests. For services whose construction reads
/// the store (keys, salts): done on a request thread under load, that read would block it and starve the thread pool.
/// The configuration check still runs first, since the host only starts once it passed.
/// </summary>
internal sealed class WarmUp<T>(IServiceProvider services) : IHostedLifecycleService
    where T : notnull
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<T>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class WarmUpExtensions
{
    /// <summary>Builds the <typeparamref name="T"/> singleton at host start instead of at its first use.</summary>
    public static IServiceCollection AddWarmUp<T>(this IServiceCollection services)
        where T : notnull
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WarmUp<T>>());
        return services;
    }
}
