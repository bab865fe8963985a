using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Storage;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>Every answered redirect has its click in the log, on both storage adapters, under concurrent load.</summary>
public sealed class RedirectDurabilityTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Redis")]
    public async Task Concurrent_clicks_are_all_in_the_log_when_their_redirects_are_answered(string provider)
    {
        using var host = TrackingTestHost.Create();
        if (provider == "Redis")
        {
            host.WithRedis(redis);
        }

        var link = (await host.RegisterAsync("https://www.exemple.fr/", Ct)).Link;
        var client = host.Anonymous;
        var store = host.Services.GetRequiredService<ILogStore>();
        var before = await store.GetLastSequenceAsync(ClickEvent.Log, Ct);

        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => client.GetAsync($"/r/{link.Id}", Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Found, r.StatusCode));
        // Read right after the last answer: nothing is still in flight.
        Assert.Equal(before + 400, await store.GetLastSequenceAsync(ClickEvent.Log, Ct));
        Assert.True(host.Services.GetRequiredService<GroupCommitLog>().BatchesWritten < 400);
    }
}
