using StackExchange.Redis;

namespace SfCompanion.Storage;

/// <summary>
/// The shared adapter for several replicas. Every key starts with the configured prefix. Conditional writes,
/// batched appends and leases run as Lua scripts so each is atomic on the server. Single-node Redis (or a
/// primary with replicas); Redis Cluster is not supported because scripts touch keys computed at run time.
/// </summary>
/// <remarks>
/// One file per port: <c>RedisStore.Documents.cs</c>, <c>.Logs.cs</c>, <c>.Leases.cs</c>, <c>.Counters.cs</c>;
/// every key they use is named by <see cref="RedisKeys"/>.
/// </remarks>
public sealed partial class RedisStore : IStore, IAsyncDisposable, IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly bool _ownsConnection;

    private RedisStore(ConnectionMultiplexer connection, string keyPrefix, TimeProvider time, bool ownsConnection)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _keys = new RedisKeys(keyPrefix);
        _time = time;
        _ownsConnection = ownsConnection;
    }

    public string ProviderName => "Redis";

    /// <summary>Connects to Redis. Fails fast with a message naming the setting when the string is malformed or the server unreachable.</summary>
    public static async Task<RedisStore> ConnectAsync(RedisStorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = ParseConfiguration(options);
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(config);
            return new RedisStore(connection, options.KeyPrefix, time ?? TimeProvider.System, ownsConnection: true);
        }
        catch (RedisConnectionException ex)
        {
            throw new StoreConfigurationException(
                $"Storage:Redis:ConnectionString = '{Redact(config)}': Redis is unreachable ({FirstLine(ex.Message)}). Start Redis or fix the address; or set Storage:Provider = Sqlite for a single node.", ex);
        }
    }

    private static ConfigurationOptions ParseConfiguration(RedisStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StoreConfigurationException(
                "Storage:Redis:ConnectionString is empty while Storage:Provider = Redis. Set it (env STORAGE__REDIS__CONNECTIONSTRING), e.g. 'localhost:6379'.");
        }

        ConfigurationOptions config;
        try
        {
            config = ConfigurationOptions.Parse(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreConfigurationException(
                $"Storage:Redis:ConnectionString is malformed ({ex.Message}). Expected 'host:port[,password=…][,ssl=true]'.", ex);
        }

        config.AbortOnConnectFail = true;
        // INFO (persistence check for /health/ready) is an admin command for StackExchange.Redis.
        config.AllowAdmin = true;
        config.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        config.ClientName ??= "sfcompanion";
        return config;
    }

    /// <summary>Uses an existing connection (tests share one connection and vary the prefix).</summary>
    public static RedisStore FromConnection(ConnectionMultiplexer connection, string keyPrefix, TimeProvider? time = null) =>
        new(connection, keyPrefix, time ?? TimeProvider.System, ownsConnection: false);

    private static string Redact(ConfigurationOptions config) => string.Join(",", config.EndPoints.Select(e => e.ToString()));

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var sentence = line.IndexOf(". ", StringComparison.Ordinal);
        return sentence > 0 ? line[..(sentence + 1)] : line;
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _db.PingAsync();
            var server = _connection.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is null)
            {
                return new StoreHealth(false, false, "Redis: no connected primary.");
            }

            var info = await server.InfoAsync("persistence");
            var values = info.SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var aof = values.TryGetValue("aof_enabled", out var enabled) && enabled == "1";
            return aof
                ? new StoreHealth(true, true, $"Redis {server.Version} at {server.EndPoint}, AOF on")
                : new StoreHealth(true, false,
                    $"Redis {server.Version} at {server.EndPoint} has persistence off (appendonly no): clicks and consent proofs would not survive a Redis restart. Set 'appendonly yes' (and 'appendfsync everysec' or 'always').");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new StoreHealth(false, false, $"Redis unreachable: {FirstLine(ex.Message)}");
        }
    }

    /// <summary>A stored number, 0 when the key or field does not exist.</summary>
    private static long OrZero(RedisValue value) => value.IsNull ? 0 : (long)value;

    private static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }
}
