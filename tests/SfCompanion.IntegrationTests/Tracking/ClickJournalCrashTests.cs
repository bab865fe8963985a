using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Jobs;
using SfCompanion.Storage;
using SfCompanion.Tracking;
using StackExchange.Redis;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>
/// The service as a child process in <c>Journal</c> mode: clicks answered while the click log cannot take them, then
/// <c>kill -9</c>; the next process moves them to the log, each once, and the aggregation counts each once.
/// </summary>
public sealed class ClickJournalCrashTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncDisposable
{
    private const string Key = "sfc_journal-crash-test-key-0123456789abcdefghijklmno";
    private const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const int Clicks = 300;

    private readonly TestDirectory _directory = new("sfc-journal-crash-");
    private readonly string _prefix = "sfc-test:" + Guid.NewGuid().ToString("N");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_directory.Path, "data", "store.db");

    public async ValueTask DisposeAsync()
    {
        await redis.DeleteKeysAsync(_prefix);
        _directory.Dispose();
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Redis")]
    public async Task Clicks_answered_before_a_kill_9_are_in_the_log_and_the_aggregates_exactly_once(string provider)
    {
        var port = ServiceProcess.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        List<string> args =
        [
            "--Hosting:Role=all", $"--Admin:BootstrapKey={Key}", $"--Tracking:PublicBaseUrl={baseUrl}",
            "--Tracking:ClickDurability=Journal", $"--Tracking:JournalDirectory={Path.Combine(_directory.Path, "journal")}",
            "--Tracking:SettleSeconds=0", "--Tracking:EarlyClickSeconds=0",
        ];
        IStore store;
        if (provider == "Sqlite")
        {
            args.AddRange(["--Storage:Provider=Sqlite", $"--Storage:Sqlite:Path={DatabasePath}"]);
        }
        else
        {
            redis.Require();
            if (Environment.GetEnvironmentVariable("SFC_TEST_REDIS_MARKER") is { Length: > 0 } marker)
            {
                await File.AppendAllTextAsync(marker, TestContext.Current.Test?.TestDisplayName + Environment.NewLine, Ct);
            }

            args.AddRange(["--Storage:Provider=Redis", $"--Storage:Redis:ConnectionString={RedisFixture.Address}", $"--Storage:Redis:KeyPrefix={_prefix}"]);
        }

        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);
        http.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);

        string url;
        using (var first = await ServiceProcess.StartAsync(_directory.Path, port, args))
        {
            var registered = await (await http.PostAsJsonAsync("/api/tracking/links",
                new { campaignId = TrackingTestHost.CampaignId, label = "Livre blanc", url = "https://www.exemple.fr/livre-blanc" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            var linkId = registered.GetProperty("link").GetProperty("id").GetString();
            url = (await http.GetFromJsonAsync<JsonElement>($"/api/tracking/links/{linkId}/preview?recipientId={TrackingTestHost.LeadId}", Ct)).GetProperty("url").GetString()!;

            // The click log cannot take anything while the clicks are answered: SQLite's write lock is held, Redis
            // refuses writes. Every answer comes from the journal alone.
            await using (var block = await BlockWritesAsync(provider))
            {
                var answers = await Task.WhenAll(Enumerable.Range(0, Clicks).Select(_ => http.GetAsync(url, Ct)));
                Assert.All(answers, a => Assert.Equal(HttpStatusCode.Found, a.StatusCode));
                first.Kill();
            }
        }

        store = await OpenStoreAsync(provider);
        await using (store as IAsyncDisposable)
        {
            Assert.Equal(0, await store.GetLastSequenceAsync(ClickEvent.Log, Ct));

            using (var second = await ServiceProcess.StartAsync(_directory.Path, port, args))
            {
                await WaitForAsync(async () => await store.GetLastSequenceAsync(ClickEvent.Log, Ct) >= Clicks, second);

                // The restarted process may be running the job on its own schedule: ask until a run of ours is accepted.
                string? runId = null;
                await WaitForAsync(async () =>
                {
                    using var response = await http.PostAsync($"/api/jobs/{ClickAggregationJob.Name}/run", null, Ct);
                    if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
                    {
                        return false;
                    }

                    runId = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("runId").GetString();
                    return true;
                }, second);
                string? status = null;
                await WaitForAsync(async () =>
                {
                    status = (await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}", Ct)).GetProperty("status").GetString();
                    return status is "Succeeded" or "Failed" or "Cancelled" or "Abandoned";
                }, second);
                Assert.Equal("Succeeded", status);

                var stats = await http.GetFromJsonAsync<JsonElement>($"/api/tracking/campaigns/{TrackingTestHost.CampaignId}/stats", Ct);
                Assert.Equal(Clicks, stats.GetProperty("totalClicks").GetInt64());
                Assert.Equal(0, await second.StopAsync());
            }

            List<string> ids = [];
            await foreach (var entry in store.ReadAllAsync(ClickEvent.Log, 0, 1000, Ct))
            {
                ids.Add(JsonSerializer.Deserialize(entry.Payload, ClickJsonContext.Default.ClickEvent)!.Id!);
            }

            Assert.Equal(Clicks, ids.Count);
            Assert.Equal(Clicks, ids.Distinct(StringComparer.Ordinal).Count());
        }
    }

    private async Task<IStore> OpenStoreAsync(string provider) => provider == "Sqlite"
        ? SqliteStore.Open(new SqliteStorageOptions { Path = DatabasePath })
        : await RedisStore.ConnectAsync(new RedisStorageOptions { ConnectionString = RedisFixture.Address, KeyPrefix = _prefix });

    /// <summary>Until disposed, the click log refuses writes: SQLite's write lock held by this test, or Redis paused for writes.</summary>
    private async Task<IAsyncDisposable> BlockWritesAsync(string provider)
    {
        if (provider == "Sqlite")
        {
            var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
            await connection.OpenAsync(Ct);
            await using (var begin = connection.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                await begin.ExecuteNonQueryAsync(Ct);
            }

            return connection;
        }

        // At most a few seconds (the pause ends by itself), since other tests may share this server.
        var server = redis.Require().GetServers()[0];
        await server.ExecuteAsync("CLIENT", "PAUSE", "5000", "WRITE");
        return new Unpause(server);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, ServiceProcess service)
    {
        // A safety net so a regression fails instead of hanging the run; not a timing assertion.
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"Timed out{Environment.NewLine}{service.Output}");
    }

    private sealed class Unpause(IServer server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.ExecuteAsync("CLIENT", "UNPAUSE");
    }
}
