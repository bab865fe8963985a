using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfCompanion.Consent;
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
        string goneId;
        using (var gone = new ClickJournal(Path.Combine(shared, "web-gone")))
        {
            goneId = gone.Id;
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
        // The adopted journal's cursors go with it; the others' stay.
        Assert.DoesNotContain((await logs.ListCursorsAsync(ClickEvent.Log, Ct)).Keys, k => k.Contains(goneId, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(shared, "web-gone")));
        Assert.True(Directory.Exists(Path.Combine(shared, "web-alive")));
        var ids = await ClickIdsAsync(logs);
        Assert.Equal(100, ids.Count);
        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
    }

    private static readonly DateTimeOffset Erasure = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private const string Erased = "00Q000000000001AAA";
    private const string Kept = "00Q000000000002AAA";

    private static byte[] ClickBy(string recipient, DateTimeOffset at, int i) =>
        Encoding.UTF8.GetBytes($"{{\"l\":\"AAAAAAAAAA\",\"c\":\"701000000000001AAA\",\"r\":\"{recipient}\",\"at\":\"{at:O}\",\"ua\":\"n{i}\"}}");

    private static ClickJournalDrainer Drainer(ClickJournal journal, IStore store) =>
        new(journal, store, TimeSpan.FromSeconds(1), NullLogger<ClickJournalDrainer>.Instance, new ErasedClickFilter(Consent(store)));

    private static ConsentStore Consent(IStore store) => new(store, store, Options.Create(new ConsentOptions()));

    private static async Task<List<ClickEvent>> ClicksAsync(ILogStore logs)
    {
        List<ClickEvent> clicks = [];
        await foreach (var entry in logs.ReadAllAsync(ClickEvent.Log, 0, 1000, Ct))
        {
            clicks.Add(System.Text.Json.JsonSerializer.Deserialize(entry.Payload, ClickJsonContext.Default.ClickEvent)!);
        }

        return clicks;
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Redis")]
    public async Task Clicks_still_in_the_journal_when_their_person_is_erased_never_reach_the_log_and_later_clicks_do(string provider)
    {
        await using var store = (IAsyncDisposable)await OpenAsync(provider);
        var stored = (IStore)store;
        using var journal = new ClickJournal(JournalDirectory);
        for (var i = 0; i < 300; i++)
        {
            journal.Append(ClickBy(i % 3 == 0 ? Erased : Kept, Erasure.AddMinutes(-5), i));
        }

        await Consent(stored).SuppressAsync(Erased, Erasure, "erasure requested", Ct);
        // A click well after the erasure is a new one (the margin covers clocks that differ between processes).
        journal.Append(ClickBy(Erased, Erasure + ErasedClickFilter.ClockMargin + TimeSpan.FromSeconds(1), 300));
        journal.Append(ClickBy(Erased, Erasure + TimeSpan.FromSeconds(30), 301));

        using var drainer = Drainer(journal, stored);
        await drainer.DrainAsync(Ct);

        var clicks = await ClicksAsync(stored);
        Assert.Equal(101, drainer.DroppedAsErased);
        Assert.Equal(201, drainer.Moved);
        Assert.Equal(200, clicks.Count(c => c.RecipientId == Kept));
        Assert.Equal(["n300"], clicks.Where(c => c.RecipientId == Erased).Select(c => c.UserAgent));
    }

    [Fact]
    public async Task An_erasure_that_removed_moved_clicks_before_a_crash_is_not_undone_by_the_replay()
    {
        await using var store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory.Path, "store.db") });
        var backup = Path.Combine(_directory.Path, "backup");
        using (var journal = new ClickJournal(JournalDirectory))
        {
            for (var i = 0; i < 200; i++)
            {
                journal.Append(ClickBy(i % 2 == 0 ? Erased : Kept, Erasure.AddMinutes(-5), i));
            }

            CopySegments(JournalDirectory, backup);
            using var drainer = Drainer(journal, store);
            await drainer.DrainAsync(Ct);
            Assert.Equal(200, drainer.Moved);
        }

        // The erasure runs: a suppression, then the person's raw clicks removed from the log (as TrackingPersonalData does).
        await Consent(store).SuppressAsync(Erased, Erasure, "erasure requested", Ct);
        var theirs = new List<long>();
        await foreach (var entry in store.ReadAllAsync(ClickEvent.Log, 0, 1000, Ct))
        {
            if (entry.Payload.Contains(Erased, StringComparison.Ordinal))
            {
                theirs.Add(entry.Sequence);
            }
        }

        Assert.Equal(100, await store.DeleteAsync(ClickEvent.Log, theirs, Ct));

        // The crash had come before the journal's position was recorded: the segments and cursors as before the move.
        using (var journal = new ClickJournal(JournalDirectory))
        {
            var (positionCursor, logCursor) = ClickJournalDrainer.CursorNames(journal.Id);
            await store.SetCursorAsync(ClickEvent.Log, positionCursor, 0, Ct);
            await store.SetCursorAsync(ClickEvent.Log, logCursor, 0, Ct);
        }

        CopySegments(backup, JournalDirectory);
        using (var journal = new ClickJournal(JournalDirectory))
        {
            Assert.True(journal.RecoveredCount > 0);
            using var drainer = Drainer(journal, store);
            await drainer.DrainAsync(Ct);
            Assert.Equal(100, drainer.SkippedAsAlreadyInLog);
            Assert.Equal(100, drainer.DroppedAsErased);
            Assert.Equal(0, drainer.Moved);
        }

        var clicks = await ClicksAsync(store);
        Assert.Equal(100, clicks.Count);
        Assert.All(clicks, c => Assert.Equal(Kept, c.RecipientId));
    }

    [Fact]
    public async Task Clicks_appended_while_an_erasure_looked_at_the_log_are_removed_right_after()
    {
        await using var inner = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory.Path, "store.db") });
        var consent = Consent(inner);
        // The erasure suppresses the person and scans the log while the drainer's append is on its way: the scan finds
        // nothing of theirs, the append lands after it.
        var logs = new ErasureDuringAppend(inner, () => consent.SuppressAsync(Erased, Erasure, "erasure requested", Ct));
        using var journal = new ClickJournal(JournalDirectory);
        for (var i = 0; i < 50; i++)
        {
            journal.Append(ClickBy(i % 2 == 0 ? Erased : Kept, Erasure.AddMinutes(-1), i));
        }

        using var drainer = new ClickJournalDrainer(journal, logs, TimeSpan.FromSeconds(1), NullLogger<ClickJournalDrainer>.Instance, new ErasedClickFilter(consent));
        await drainer.DrainAsync(Ct);

        Assert.Equal(1, logs.Appends);
        Assert.Equal(25, drainer.DroppedAsErased);
        Assert.Equal(25, drainer.Moved);
        var clicks = await ClicksAsync(inner);
        Assert.Equal(25, clicks.Count);
        Assert.All(clicks, c => Assert.Equal(Kept, c.RecipientId));
    }

    /// <summary>A click log whose first append lets an erasure run just before the entries land.</summary>
    private sealed class ErasureDuringAppend(ILogStore inner, Func<Task> erasure) : ILogStore
    {
        public int Appends { get; private set; }

        public async Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default)
        {
            if (Appends++ == 0)
            {
                await erasure();
            }

            return await inner.AppendAsync(log, payloads, cancellationToken);
        }

        public Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(log, afterSequence, max, cancellationToken);

        public Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default) => inner.GetCursorAsync(log, consumer, cancellationToken);

        public Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default) =>
            inner.SetCursorAsync(log, consumer, sequence, cancellationToken);

        public Task<IReadOnlyDictionary<string, long>> ListCursorsAsync(string log, CancellationToken cancellationToken = default) => inner.ListCursorsAsync(log, cancellationToken);

        public Task DeleteCursorsAsync(string log, IReadOnlyCollection<string> consumers, CancellationToken cancellationToken = default) =>
            inner.DeleteCursorsAsync(log, consumers, cancellationToken);

        public Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default) => inner.TrimAsync(log, olderThan, cancellationToken);

        public Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(log, sequences, cancellationToken);

        public Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default) => inner.GetLastSequenceAsync(log, cancellationToken);
    }
}
