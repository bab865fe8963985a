using SfCompanion.Storage;
using StackExchange.Redis;

namespace SfCompanion.IntegrationTests.Storage;

/// <summary>One connection to the test Redis shared by every Redis test; each test uses its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>Address of the test server: <c>SFC_TEST_REDIS</c>, default <c>127.0.0.1:6379</c>.</summary>
    public static string Address => Environment.GetEnvironmentVariable("SFC_TEST_REDIS") is { Length: > 0 } a ? a : "127.0.0.1:6379";

    public ConnectionMultiplexer? Connection { get; private set; }

    public string? Problem { get; private set; }

    public async ValueTask InitializeAsync()
    {
        try
        {
            Connection = await ConnectionMultiplexer.ConnectAsync($"{Address},abortConnect=true,allowAdmin=true,connectTimeout=3000");
        }
        catch (RedisConnectionException ex)
        {
            Problem = $"Redis at {Address} is unreachable ({ex.Message.Split('\n')[0]}). Start redis-server or set SFC_TEST_REDIS.";
        }
    }

    /// <summary>Skips the test without Redis, except under CI where a missing server fails the run.</summary>
    public ConnectionMultiplexer Require()
    {
        if (Connection is not null)
        {
            return Connection;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Problem);
        }

        Assert.Skip(Problem!);
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
    }
}

public sealed class RedisStoreTests(RedisFixture redis) : StoreContractTests, IClassFixture<RedisFixture>
{
    private readonly string _prefix = "sfc-test:" + Guid.NewGuid().ToString("N");

    protected override Task<IStore> OpenAsync()
    {
        var connection = redis.Require();
        // CI checks this file to prove the Redis tests ran rather than being filtered or skipped.
        if (Environment.GetEnvironmentVariable("SFC_TEST_REDIS_MARKER") is { Length: > 0 } marker)
        {
            File.AppendAllText(marker, TestContext.Current.Test?.TestDisplayName + Environment.NewLine);
        }

        return Task.FromResult<IStore>(RedisStore.FromConnection(connection, _prefix, Time));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (redis.Connection is { } connection)
        {
            var server = connection.GetServers()[0];
            var keys = server.Keys(pattern: _prefix + ":*", pageSize: 1000).ToArray();
            foreach (var chunk in keys.Chunk(1000))
            {
                await connection.GetDatabase().KeyDeleteAsync(chunk);
            }
        }
    }

    [Fact]
    public async Task A_new_connection_sees_the_same_data()
    {
        await Store.PutAsync("doc", new DocumentWrite("k", "v"), TestContext.Current.CancellationToken);
        await using var other = await RedisStore.ConnectAsync(new RedisStorageOptions { ConnectionString = RedisFixture.Address, KeyPrefix = _prefix }, Time);
        Assert.Equal("v", (await other.GetAsync("doc", "k", TestContext.Current.CancellationToken))!.Data);
    }

    [Fact]
    public async Task Unreachable_server_is_refused_with_the_setting_named()
    {
        redis.Require();
        var ex = await Assert.ThrowsAsync<StoreConfigurationException>(() =>
            RedisStore.ConnectAsync(new RedisStorageOptions { ConnectionString = "127.0.0.1:1", ConnectTimeoutMilliseconds = 500 }));
        Assert.Contains("Storage:Redis:ConnectionString", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_connection_string_is_refused_with_the_setting_named()
    {
        var ex = await Assert.ThrowsAsync<StoreConfigurationException>(() =>
            RedisStore.ConnectAsync(new RedisStorageOptions { ConnectionString = "localhost:6379,connectTimeout=soon" }));
        Assert.Contains("Storage:Redis:ConnectionString is malformed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_says_whether_append_only_persistence_is_on()
    {
        var server = redis.Require().GetServers()[0];
        var aof = (await server.ConfigGetAsync("appendonly")).Single().Value;
        var health = await Store.CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(aof == "yes", health.Durable);
        if (!health.Durable)
        {
            Assert.Contains("appendonly", health.Description, StringComparison.Ordinal);
        }
    }
}
