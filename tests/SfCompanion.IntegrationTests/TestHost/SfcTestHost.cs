using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.Admin;
using SfCompanion.Emulator;

namespace SfCompanion.IntegrationTests.TestHost;

/// <summary>
/// The whole service (<see cref="Hosting.SfCompanionApp"/>) in-process, for every integration test that needs a host.
/// <para>
/// By default: a fresh SQLite file in a temporary folder (deleted on dispose), the web role (no scheduler), and
/// <see cref="AdminKey"/> as the bootstrap admin key. Before the host starts (on <see cref="StartAsync"/> or on the
/// first client or <c>Services</c>), the <c>With…</c> methods change that: an emulated Salesforce org the service talks
/// to over real HTTP, Redis instead of SQLite, a fake clock, a real Kestrel port, settings, service overrides and
/// extra endpoints.
/// </para>
/// <para>
/// Clients: <see cref="Anonymous"/> and <see cref="Admin"/>, and <see cref="ClientAsync"/> for a role (its key is
/// created through the API the first time, so a host that never asks has only the bootstrap key). The host owns those
/// clients; <see cref="ClientWithKey"/> makes one the caller disposes. No client follows redirects or keeps cookies.
/// </para>
/// </summary>
public sealed class SfcTestHost : WebApplicationFactory<Program>
{
    /// <summary>The bootstrap admin key every host is configured with, unless <see cref="WithoutBootstrapKey"/>.</summary>
    public const string AdminKey = "sfc_test-host-admin-key-0123456789abcdefghijklmno";

    private const string RoleSetting = "Hosting:Role";
    private const string BootstrapKeySetting = "Admin:BootstrapKey";

    private readonly TestDirectory? _ownedDirectory;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal)
    {
        [RoleSetting] = "web",
        [BootstrapKeySetting] = AdminKey,
        // Tests read the click log right after a redirect's answer; the click journal has its own tests.
        ["Tracking:ClickDurability"] = "Fsync",
    };

    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<IEndpointRouteBuilder>> _endpoints = [];
    private readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> _roleClients = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<HttpClient> _ownedClients = [];
    private readonly CapturingAnnouncer _announcer = new();
    private Action<EmulatorOptions>? _emulatorOptions;
    private SalesforceEmulator? _emulator;
    private FakeTimeProvider? _clock;
    private RedisFixture? _redis;
    private string? _redisPrefix;
    private bool _kestrel;
    private bool _built;
    private bool _cleanedUp;
    private HttpClient? _admin;
    private HttpClient? _anonymous;

    /// <param name="dataDirectory">
    /// A folder the caller owns, for hosts that follow one another over the same store (restarts); by default a
    /// temporary folder of this host's own.
    /// </param>
    public SfcTestHost(string? dataDirectory = null)
    {
        if (dataDirectory is null)
        {
            _ownedDirectory = new TestDirectory("sfc-host-");
            dataDirectory = _ownedDirectory.Path;
        }

        DataDirectory = dataDirectory;
    }

    /// <summary>The folder of the SQLite store (<c>sfcompanion.db</c>).</summary>
    public string DataDirectory { get; }

    /// <summary>The fake clock registered as the service's <see cref="TimeProvider"/> (<see cref="WithFakeClock(FakeTimeProvider)"/>).</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("This host runs on the system clock: call WithFakeClock() before it starts.");

    /// <summary>The emulated Salesforce org the service is connected to (<see cref="WithEmulator"/>, then <see cref="StartAsync"/>).</summary>
    public SalesforceEmulator Emulator => _emulator ?? throw new InvalidOperationException(
        _emulatorOptions is null ? "This host has no emulated org: call WithEmulator() before it starts." : "The emulated org starts in StartAsync(): await it first.");

    /// <summary>Bootstrap keys the service generated and would have printed (only without a configured one).</summary>
    public IReadOnlyCollection<string> AnnouncedKeys => _announcer.Secrets;

    /// <summary>The service's address: a real <c>http://127.0.0.1:port</c> with <see cref="WithKestrel"/>, otherwise the in-memory server's.</summary>
    public string BaseUrl => _kestrel
        ? Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal))
        : ClientOptions.BaseAddress.ToString().TrimEnd('/');

    /// <summary>A client without an API key, owned by the host.</summary>
    public HttpClient Anonymous => _anonymous ??= Own(ClientWithKey(null));

    /// <summary>A client with the bootstrap admin key (<see cref="AdminKey"/>), owned by the host.</summary>
    public HttpClient Admin => _admin ??= Own(ClientWithKey(AdminKey));

    /// <summary>Sets a configuration value (as <c>--key=value</c> on the command line would).</summary>
    public SfcTestHost With(string key, string? value)
    {
        EnsureNotBuilt();
        _settings[key] = value;
        return this;
    }

    /// <summary>Sets every value of <paramref name="settings"/>; see <see cref="With"/>.</summary>
    public SfcTestHost With(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            With(key, value);
        }

        return this;
    }

    /// <summary><c>all</c> (web and the worker with its scheduler), <c>web</c> (the default here) or <c>worker</c>.</summary>
    public SfcTestHost WithRole(string role) => With(RoleSetting, role);

    /// <summary>No bootstrap key configured: the service generates one at first start (see <see cref="AnnouncedKeys"/>).</summary>
    public SfcTestHost WithoutBootstrapKey()
    {
        EnsureNotBuilt();
        _settings.Remove(BootstrapKeySetting);
        return this;
    }

    /// <summary>Only the temporary store is set: the role and the bootstrap key are the application's own defaults.</summary>
    public SfcTestHost WithAppDefaults()
    {
        EnsureNotBuilt();
        _settings.Remove(RoleSetting);
        _settings.Remove(BootstrapKeySetting);
        return this;
    }

    /// <summary>Registers <paramref name="clock"/> (by default a new one at the current time) as the service's <see cref="TimeProvider"/>.</summary>
    public SfcTestHost WithFakeClock(FakeTimeProvider? clock = null)
    {
        EnsureNotBuilt();
        _clock = clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        return this;
    }

    /// <summary>
    /// The Redis store on the test server (<c>SFC_TEST_REDIS</c>) under a key prefix of this host's own, deleted on
    /// dispose. Without a server the test is skipped, or fails when <c>CI=true</c>.
    /// </summary>
    public SfcTestHost WithRedis(RedisFixture redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        redis.Require();
        _redis = redis;
        _redisPrefix = "sfc-test:" + Guid.NewGuid().ToString("N");
        return With("Storage:Provider", "Redis").With("Storage:Redis:ConnectionString", RedisFixture.Address).With("Storage:Redis:KeyPrefix", _redisPrefix);
    }

    /// <summary>
    /// An emulated Salesforce org on a free port (API version 66 unless <paramref name="configure"/> says otherwise),
    /// started by <see cref="StartAsync"/>; the service connects to it by client credentials with short retry delays.
    /// </summary>
    public SfcTestHost WithEmulator(Action<EmulatorOptions>? configure = null)
    {
        EnsureNotBuilt();
        _emulatorOptions = configure ?? (_ => { });
        return this;
    }

    /// <summary>Kestrel on a free port of 127.0.0.1 instead of the in-memory server (for a browser, or raw sockets).</summary>
    public SfcTestHost WithKestrel()
    {
        EnsureNotBuilt();
        _kestrel = true;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        return this;
    }

    /// <summary>Changes the service's registrations after the application made its own (replace, add test services).</summary>
    public SfcTestHost ConfigureServices(Action<IServiceCollection> configure)
    {
        EnsureNotBuilt();
        _services.Add(configure);
        return this;
    }

    /// <summary>Maps extra endpoints, with routing, authentication and authorization, in front of the application's pipeline.</summary>
    public SfcTestHost MapEndpoints(Action<IEndpointRouteBuilder> map)
    {
        EnsureNotBuilt();
        _endpoints.Add(map);
        return this;
    }

    /// <summary>Starts the emulated org (when asked for) and then the service.</summary>
    public async Task<SfcTestHost> StartAsync()
    {
        if (_emulatorOptions is not null && _emulator is null)
        {
            var options = new EmulatorOptions { MaxApiVersion = 66 };
            _emulatorOptions(options);
            _emulator = await SalesforceEmulator.StartAsync(options, TestContext.Current.CancellationToken);
            With("Salesforce:LoginUrl", _emulator.BaseUrl)
                .With("Salesforce:AuthFlow", "ClientCredentials")
                .With("Salesforce:ClientId", _emulator.ClientId)
                .With("Salesforce:ClientSecret", _emulator.ClientSecret)
                .With("Salesforce:RetryBaseDelay", "00:00:00.010")
                .With("Salesforce:MaxRetryDelay", "00:00:00.050");
        }

        StartServer();
        return this;
    }

    /// <summary>A service from the host's container.</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// A client with a key of <paramref name="role"/> (<see cref="SfcRoles"/>), owned by the host: the bootstrap key for
    /// admin, otherwise a key created through the API the first time the role is asked for.
    /// </summary>
    public Task<HttpClient> ClientAsync(string role)
    {
        if (!SfcRoles.IsKnown(role))
        {
            throw new ArgumentException($"Unknown role '{role}'; expected one of {string.Join(", ", SfcRoles.All)}.", nameof(role));
        }

        if (role == SfcRoles.Admin && _settings.ContainsKey(BootstrapKeySetting))
        {
            return Task.FromResult(Admin);
        }

        return _roleClients.GetOrAdd(role, r => new Lazy<Task<HttpClient>>(async () => Own(ClientWithKey(await CreateKeyAsync(r))))).Value;
    }

    /// <summary>A new client carrying <paramref name="key"/> (none when null), as <c>X-Api-Key</c> or as a bearer token. The caller disposes it.</summary>
    public HttpClient ClientWithKey(string? key, bool bearer = false)
    {
        var client = _kestrel
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) }
            : CreateDefaultClient(ClientOptions.BaseAddress);
        if (key is not null)
        {
            if (bearer)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, key);
            }
        }

        return client;
    }

    /// <summary>Creates a key with <paramref name="role"/> through the API, as the bootstrap admin, and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(string role)
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await Admin.PostAsJsonAsync("/api/keys", new { name = "test " + role, role }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AdminApi.CreatedApiKeyView>(ct))!.Key;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_emulatorOptions is not null && _emulator is null)
        {
            throw new InvalidOperationException("A host with an emulated org starts with `await host.StartAsync()`.");
        }

        _built = true;
        builder.UseSetting("Storage:Sqlite:Path", Path.Combine(DataDirectory, "sfcompanion.db"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (_clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_clock);
            }

            services.RemoveAll<IBootstrapKeyAnnouncer>();
            services.AddSingleton<IBootstrapKeyAnnouncer>(_announcer);
            if (_endpoints.Count > 0)
            {
                services.AddSingleton<IStartupFilter>(new ExtraEndpoints(_endpoints));
            }

            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var client in _ownedClients)
        {
            client.Dispose();
        }

        await base.DisposeAsync();
        if (_cleanedUp)
        {
            return;
        }

        _cleanedUp = true;
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DeleteKeysAsync(_redisPrefix!);
        }

        _ownedDirectory?.Dispose();
    }

    private HttpClient Own(HttpClient client)
    {
        _ownedClients.Add(client);
        return client;
    }

    private void EnsureNotBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("The host has started: configure it before the first client, Services or StartAsync().");
        }
    }

    private sealed class CapturingAnnouncer : IBootstrapKeyAnnouncer
    {
        public ConcurrentQueue<string> Secrets { get; } = new();

        public void Announce(CreatedApiKey key) => Secrets.Enqueue(key.Secret);
    }

    /// <summary>Endpoints only tests map, served in front of the application's own pipeline.</summary>
    private sealed class ExtraEndpoints(IReadOnlyList<Action<IEndpointRouteBuilder>> maps) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseEndpoints(endpoints =>
            {
                foreach (var map in maps)
                {
                    map(endpoints);
                }
            });
            next(app);
        };
    }
}
