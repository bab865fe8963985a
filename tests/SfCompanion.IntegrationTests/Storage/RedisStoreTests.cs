using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Storage;

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
        await redis.DeleteKeysAsync(_prefix);
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
