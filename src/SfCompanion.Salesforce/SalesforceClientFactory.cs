using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SfCompanion.Salesforce;

/// <summary>Builds a client without a host, for tools, tests and benchmarks.</summary>
public static class SalesforceClientFactory
{
    /// <summary>
    /// Creates a fully wired client (auth, retries, budget, counting) from <paramref name="options"/>.
    /// <paramref name="primaryHandler"/> replaces the network handler (an in-memory emulator, a test server).
    /// </summary>
    /// <exception cref="OptionsValidationException">The options are invalid; the message lists every problem.</exception>
    public static SalesforceConnection Create(
        SalesforceOptions options,
        HttpMessageHandler? primaryHandler = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        services.AddSalesforceClient(builder => builder.Configure(o => Copy(options, o)));
        if (primaryHandler is not null)
        {
            // The factory disposes primary handlers it created; this one belongs to the caller.
            services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new NonDisposingHandler(primaryHandler)));
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            _ = provider.GetRequiredService<IOptions<SalesforceOptions>>().Value;
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return new SalesforceConnection(provider);
    }

    private static void Copy(SalesforceOptions source, SalesforceOptions target)
    {
        foreach (var property in typeof(SalesforceOptions).GetProperties())
        {
            if (property.CanWrite)
            {
                property.SetValue(target, property.GetValue(source));
            }
        }
    }

    private sealed class NonDisposingHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _invoker.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>A client with its own container; dispose it to release connections and the meter.</summary>
public sealed class SalesforceConnection : IDisposable, IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    internal SalesforceConnection(ServiceProvider provider)
    {
        _provider = provider;
        Client = provider.GetRequiredService<ISalesforceClient>();
    }

    public ISalesforceClient Client { get; }

    public QuotaGuard Quota => _provider.GetRequiredService<QuotaGuard>();

    public SalesforceTokenProvider Tokens => _provider.GetRequiredService<SalesforceTokenProvider>();

    public IServiceProvider Services => _provider;

    public void Dispose() => _provider.Dispose();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
