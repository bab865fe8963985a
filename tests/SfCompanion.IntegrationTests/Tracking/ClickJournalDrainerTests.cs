using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Storage;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>The drainer against real stores: every journal record reaches the click log once, even when a crash
/// left records both in the log and in the journal.</summary>
public sealed class ClickJournalDrainerTests(RedisFixture redis) : IClassFixture<RedisFixture>, IAsyncDisposable
{
    private readonly TestDirectory _directory = new("sfc-drainer-");
    private readonly string _prefix = "sfc-test:" + Guid.NewGuid().ToString("N");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string JournalDirectory => Path.Combine(_directory.Path, "journal");

    public async ValueTask DisposeAsync()
    {
        await redis.DeleteKeysAsync(_prefix);
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private async Task<IStore> OpenAsync(string provider)
    {
        if (provider == "Sqlite")
        {
            return SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory.Path, "store.db") });
        }

        var connection = redis.Require();
        if (Environment.GetEnvironmentVariable("SFC_TEST_REDIS_MARKER") is { Length: > 0 } marker)
        {
            await File.AppendAllTextAsync(marker, TestContext.Current.Test?.TestDisplayName + Environment.NewLine, Ct);
        }

        return RedisStore.FromConnection(connection, _prefix);
    }

    private static ClickJournalDrainer Drainer(ClickJournal journal, ILogStore logs) =>
        new(journal, logs, TimeSpan.FromSeconds(1), NullLogger<ClickJournalDrainer>.Instance);

    private static byte[] Click(int i) => Encoding.UTF8.GetBytes($"{{\"l\":\"AAAAAAAAAA\",\"c\":\"701000000000001AAA\",\"at\":\"2026-11-29T10:00:00+00:00\",\"ua\":\"n{i}\"}}");

    private static async Task<List<string>> ClickIdsAsync(ILogStore logs)
    {
        List<string> ids = [];
        await foreach (var entry in logs.ReadAllAsync(ClickEvent.Log, 0, 1000, Ct))
        {
            var click = System.Text.Json.JsonSerializer.Deserialize(entry.Payload, ClickJsonContext.Default.ClickEvent)!;
            ids.Add(click.Id!);
        }

        return ids;
    }

    private void CopySegments(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*.seg"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Redis")]
    public async Task Records_are_moved_with_their_ids_and_the_moved_segments_deleted(string provider)
    {
        await using var store = (IAsyncDisposable)await OpenAsync(provider);
        var logs = (ILogStore)store;
        using var journal = new ClickJournal(JournalDirectory, 4L * (ClickJournal.MaxPayload + 12));
        for (var i = 0; i < 2000; i++)
        {
            journal.Append(Click(i));
        }

        using var drainer = Drainer(journal, logs);
        await drainer.DrainAsync(Ct);

        var ids = await ClickIdsAsync(logs);
        Assert.Equal(2000, ids.Count);
        Assert.Equal(2000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith(journal.Id + ".", id, StringComparison.Ordinal));
        Assert.Equal(1, journal.SegmentCount);
        var (position, _) = ClickJournalDrainer.CursorNames(journal.Id);
        Assert.True(await logs.GetCursorAsync(ClickEvent.Log, position, Ct) > 0);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Redis")]
    public async Task After_a_crash_between_moving_and_recording_the_position_nothing_is_counted_twice(string provider)
    {
        await using var store = (IAsyncDisposable)await OpenAsync(provider);
        var logs = (ILogStore)store;
        var (positionCursor, logCursor) = (string.Empty, string.Empty);
        var backup = Path.Combine(_directory.Path, "backup");

        // A first process: 1,500 clicks in the journal, all moved to the log; a copy of its segments as they were.
        using (var journal = new ClickJournal(JournalDirectory))
        {
            (positionCursor, logCursor) = ClickJournalDrainer.CursorNames(journal.Id);
            for (var i = 0; i < 1500; i++)
            {
                journal.Append(Click(i));
            }

            CopySegments(JournalDirectory, backup);
            using var drainer = Drainer(journal, logs);
            await drainer.DrainAsync(Ct);
        }

        // The crash: the moved clicks are in the log, but the journal still has them and the cursors say nothing was
        // moved. Plus 500 clicks never moved, in a later segment.
        CopySegments(backup, JournalDirectory);
        await logs.SetCursorAsync(ClickEvent.Log, positionCursor, 0, Ct);
        await logs.SetCursorAsync(ClickEvent.Log, logCursor, 0, Ct);
        using (var journal = new ClickJournal(JournalDirectory))
        {
            for (var i = 1500; i < 2000; i++)
            {
                journal.Append(Click(i));
            }
        }

        using (var journal = new ClickJournal(JournalDirectory))
        {
            Assert.Equal(2, journal.RecoveredCount);
            using var drainer = Drainer(journal, logs);
            await drainer.DrainAsync(Ct);

            Assert.Equal(1500, drainer.SkippedAsAlreadyInLog);
            Assert.Equal(500, drainer.Moved);
            Assert.Equal(1, journal.SegmentCount);
        }

        var ids = await ClickIdsAsync(logs);
        Assert.Equal(2000, ids.Count);
        Assert.Equal(2000, ids.Distinct(StringComparer.Ordinal).Count());

        // And once more: a restart after a clean drain moves nothing.
        using (var journal = new ClickJournal(JournalDirectory))
        {
            using var drainer = Drainer(journal, logs);
            await drainer.DrainAsync(Ct);
            Assert.Equal(0, drainer.Moved);
        }

        Assert.Equal(2000, (await ClickIdsAsync(logs)).Count);
    }

    [Fact]
    public async Task The_journals_of_replicas_that_are_gone_are_moved_and_removed_and_those_in_use_are_left_alone()
    {
        await using var store = (IAsyncDisposable)await OpenAsync("Sqlite");
        var logs = (ILogStore)store;
        var shared = Path.Combine(_directory.Path, "shared");
        using (var gone = new ClickJournal(Path.Combine(shared, "web-gone")))
        {
            for (var i = 0; i < 100; i++)
            {
                gone.Append(Click(i));
            }
        }

        using var alive = new ClickJournal(Path.Combine(shared, "web-alive"));
        alive.Append(Click(1000));
        using var own = new ClickJournal(Path.Combine(shared, "web-own"));
        using var drainer = Drainer(own, logs);

        var adopted = await drainer.AdoptSiblingsAsync(TimeSpan.Zero, Ct);

        Assert.Equal(1, adopted);
        Assert.False(Directory.Exists(Path.Combine(shared, "web-gone")));
        Assert.True(Directory.Exists(Path.Combine(shared, "web-alive")));
        var ids = await ClickIdsAsync(logs);
        Assert.Equal(100, ids.Count);
        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
