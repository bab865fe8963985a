using StackExchange.Redis;

namespace SfCompanion.IntegrationTests.TestHost;

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

    /// <summary>Deletes every key under <paramref name="prefix"/> (a test's own), when there is a connection.</summary>
    public async Task DeleteKeysAsync(string prefix)
    {
        if (Connection is null)
        {
            return;
        }

        var server = Connection.GetServers()[0];
        var keys = server.Keys(pattern: prefix + ":*", pageSize: 1000).ToArray();
        foreach (var chunk in keys.Chunk(1000))
        {
            await Connection.GetDatabase().KeyDeleteAsync(chunk);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
    }
}
