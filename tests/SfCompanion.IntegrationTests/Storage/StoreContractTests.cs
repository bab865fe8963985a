using Microsoft.Extensions.Time.Testing;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Storage;

/// <summary>
/// The storage port's contract. Each adapter runs this suite unchanged; an adapter is correct when it passes.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    protected IStore Store { get; private set; } = null!;

    /// <summary>Opens an adapter instance over the same underlying data each time it is called.</summary>
    protected abstract Task<IStore> OpenAsync();

    public async ValueTask InitializeAsync() => Store = await OpenAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<IStore> RestartAsync()
    {
        await ((IAsyncDisposable)Store).DisposeAsync();
        Store = await OpenAsync();
        return Store;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_then_get_returns_data_and_increasing_versions()
    {
        Assert.Equal(1, await Store.PutAsync("lead", new DocumentWrite("00Q1", "{\"a\":1}"), Ct));
        Assert.Equal(2, await Store.PutAsync("lead", new DocumentWrite("00Q1", "{\"a\":2}"), Ct));
        var doc = await Store.GetAsync("lead", "00Q1", Ct);
        Assert.NotNull(doc);
        Assert.Equal("{\"a\":2}", doc.Data);
        Assert.Equal(2, doc.Version);
        Assert.Equal(Time.GetUtcNow(), doc.UpdatedAt);
        Assert.Null(await Store.GetAsync("lead", "missing", Ct));
        Assert.Null(await Store.GetAsync("contact", "00Q1", Ct));
    }

    [Fact]
    public async Task Conditional_write_with_stale_version_fails_and_keeps_the_stored_value()
    {
        await Store.PutAsync("doc", new DocumentWrite("k", "v1", ExpectedVersion: 0), Ct);
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync("doc", new DocumentWrite("k", "again", ExpectedVersion: 0), Ct));
        Assert.Equal(1, conflict.ActualVersion);
        await Store.PutAsync("doc", new DocumentWrite("k", "v2", ExpectedVersion: 1), Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutAsync("doc", new DocumentWrite("k", "stale", ExpectedVersion: 1), Ct));
        Assert.Equal("v2", (await Store.GetAsync("doc", "k", Ct))!.Data);
    }

    [Fact]
    public async Task Two_concurrent_writers_with_the_same_version_exactly_one_wins()
    {
        await Store.PutAsync("doc", new DocumentWrite("race", "0"), Ct);
        for (var round = 1; round <= 25; round++)
        {
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                try
                {
                    await Store.PutAsync("doc", new DocumentWrite("race", $"{round}:{w}", ExpectedVersion: round), Ct);
                    return true;
                }
                catch (ConcurrencyConflictException)
                {
                    return false;
                }
            }, Ct)).ToArray();
            var results = await Task.WhenAll(writers);
            Assert.Equal(1, results.Count(r => r));
        }

        Assert.Equal(26, (await Store.GetAsync("doc", "race", Ct))!.Version);
    }

    [Fact]
    public async Task Optimistic_read_modify_write_loses_no_update_under_contention()
    {
        await Store.PutAsync("doc", new DocumentWrite("counter", "0"), Ct);
        async Task IncrementManyAsync()
        {
            for (var i = 0; i < 40; i++)
            {
                while (true)
                {
                    var current = (await Store.GetAsync("doc", "counter", Ct))!;
                    try
                    {
                        await Store.PutAsync("doc", new DocumentWrite("counter", (int.Parse(current.Data) + 1).ToString(), current.Version), Ct);
                        break;
                    }
                    catch (ConcurrencyConflictException)
                    {
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(IncrementManyAsync, Ct), Task.Run(IncrementManyAsync, Ct));
        Assert.Equal("80", (await Store.GetAsync("doc", "counter", Ct))!.Data);
    }

    [Fact]
    public async Task PutMany_is_all_or_nothing()
    {
        await Store.PutAsync("doc", new DocumentWrite("b", "old"), Ct);
        var batch = new[] { new DocumentWrite("a", "new-a"), new DocumentWrite("b", "new-b", ExpectedVersion: 7), new DocumentWrite("c", "new-c") };
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.PutManyAsync("doc", batch, Ct));
        Assert.Null(await Store.GetAsync("doc", "a", Ct));
        Assert.Equal("old", (await Store.GetAsync("doc", "b", Ct))!.Data);

        await Store.PutManyAsync("doc", [new DocumentWrite("a", "1"), new DocumentWrite("b", "2", ExpectedVersion: 1)], Ct);
        Assert.Equal(2, await Store.CountAsync("doc", Ct));
        Assert.Equal(2, (await Store.GetAsync("doc", "b", Ct))!.Version);
    }

    [Fact]
    public async Task Delete_honours_expected_version_and_reports_absence()
    {
        await Store.PutAsync("doc", new DocumentWrite("k", "v", Index: [new IndexTerm("email", "x@y.fr")]), Ct);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteAsync("doc", "k", expectedVersion: 5, Ct));
        Assert.True(await Store.DeleteAsync("doc", "k", expectedVersion: 1, Ct));
        Assert.False(await Store.DeleteAsync("doc", "k", cancellationToken: Ct));
        Assert.Null(await Store.GetAsync("doc", "k", Ct));
        Assert.Empty(await Store.FindAsync("doc", new IndexTerm("email", "x@y.fr"), cancellationToken: Ct));
        Assert.Equal(0, await Store.CountAsync("doc", Ct));
    }

    [Fact]
    public async Task Delete_many_is_all_or_none_and_skips_absent_documents()
    {
        await Store.PutManyAsync("doc", [
            new DocumentWrite("a", "1", Index: [new IndexTerm("email", "a@y.fr")]),
            new DocumentWrite("b", "2", Index: [new IndexTerm("email", "b@y.fr")]),
            new DocumentWrite("c", "3"),
        ], Ct);
        await Store.PutAsync("doc", new DocumentWrite("b", "2b", Index: [new IndexTerm("email", "b2@y.fr")]), Ct);

        // b is at version 2: the batch fails whole and deletes nothing.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.DeleteManyAsync("doc", [new DocumentDelete("a", 1), new DocumentDelete("b", 1)], Ct));
        Assert.Equal(3, await Store.CountAsync("doc", Ct));
        Assert.Single(await Store.FindAsync("doc", new IndexTerm("email", "a@y.fr"), cancellationToken: Ct));

        await Store.DeleteManyAsync("doc", [new DocumentDelete("a", 1), new DocumentDelete("b", 2), new DocumentDelete("absent")], Ct);
        Assert.Equal(["c"], (await Store.ListAsync("doc", cancellationToken: Ct)).Items.Select(d => d.Key));
        Assert.Empty(await Store.FindAsync("doc", new IndexTerm("email", "a@y.fr"), cancellationToken: Ct));
        Assert.Empty(await Store.FindAsync("doc", new IndexTerm("email", "b2@y.fr"), cancellationToken: Ct));
    }

    [Fact]
    public async Task List_by_prefix_pages_in_ordinal_key_order()
    {
        var keys = new[] { "Lead:00Q3", "Lead:00Q1", "Lead:00Q2", "Lead:00Qa", "Lead:00QB", "Leader:1", "Contact:0031", "Lead:" };
        foreach (var key in keys)
        {
            await Store.PutAsync("mirror", new DocumentWrite(key, key), Ct);
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync("mirror", "Lead:", after, limit: 2, Ct);
            seen.AddRange(page.Items.Select(i => i.Key));
            after = page.NextAfterKey;
            pages++;
        }
        while (after is not null);

        Assert.Equal(["Lead:", "Lead:00Q1", "Lead:00Q2", "Lead:00Q3", "Lead:00QB", "Lead:00Qa"], seen);
        Assert.True(pages >= 3);
        var all = await Store.ListAsync("mirror", cancellationToken: Ct);
        Assert.Equal(keys.Order(StringComparer.Ordinal), all.Items.Select(i => i.Key));
        Assert.Null(all.NextAfterKey);
        Assert.Equal(keys.Length, await Store.CountAsync("mirror", Ct));
    }

    [Fact]
    public async Task Secondary_lookup_follows_rewrites()
    {
        await Store.PutAsync("mirror", new DocumentWrite("00Q1", "a", Index: [new("email", "anne@acme.fr"), new("type", "Lead")]), Ct);
        await Store.PutAsync("mirror", new DocumentWrite("0031", "b", Index: [new("email", "anne@acme.fr"), new("type", "Contact")]), Ct);
        await Store.PutAsync("mirror", new DocumentWrite("00Q2", "c", Index: [new("email", "paul@acme.fr"), new("type", "Lead")]), Ct);

        Assert.Equal(["0031", "00Q1"], (await Store.FindAsync("mirror", new("email", "anne@acme.fr"), cancellationToken: Ct)).Select(d => d.Key));
        Assert.Equal(["00Q1", "00Q2"], (await Store.FindAsync("mirror", new("type", "Lead"), cancellationToken: Ct)).Select(d => d.Key));

        await Store.PutAsync("mirror", new DocumentWrite("00Q1", "a2", Index: [new("email", "anne.martin@acme.fr"), new("type", "Lead")]), Ct);
        Assert.Equal(["0031"], (await Store.FindAsync("mirror", new("email", "anne@acme.fr"), cancellationToken: Ct)).Select(d => d.Key));
        var moved = Assert.Single(await Store.FindAsync("mirror", new("email", "anne.martin@acme.fr"), cancellationToken: Ct));
        Assert.Equal("a2", moved.Data);
        Assert.Empty(await Store.FindAsync("other", new("type", "Lead"), cancellationToken: Ct));
    }

    [Fact]
    public async Task Everything_is_still_there_after_the_adapter_restarts()
    {
        await Store.PutAsync("doc", new DocumentWrite("k", "v", Index: [new("email", "e@x.fr")]), Ct);
        await Store.AppendAsync("clicks", ["c1", "c2"], Ct);
        await Store.SetCursorAsync("clicks", "aggregator", 1, Ct);
        await Store.IncrementAsync("api-calls", 41, Ct);
        Assert.True(await Store.TryAcquireAsync("job:sync", "node-a", TimeSpan.FromMinutes(5), Ct));

        var store = await RestartAsync();

        Assert.Equal("v", (await store.GetAsync("doc", "k", Ct))!.Data);
        Assert.Single(await store.FindAsync("doc", new("email", "e@x.fr"), cancellationToken: Ct));
        Assert.Equal(["c2"], (await store.ReadAsync("clicks", await store.GetCursorAsync("clicks", "aggregator", Ct), 10, Ct)).Select(e => e.Payload));
        Assert.Equal(42, await store.IncrementAsync("api-calls", 1, Ct));
        Assert.Equal("node-a", await store.GetHolderAsync("job:sync", Ct));
        Assert.False(await store.TryAcquireAsync("job:sync", "node-b", TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(3, await store.AppendAsync("clicks", ["c3"], Ct));
    }

    [Fact]
    public async Task Log_reads_are_ordered_from_a_cursor_and_cursors_are_per_consumer()
    {
        Assert.Equal(1, await Store.AppendAsync("consent", ["a", "b", "c"], Ct));
        Assert.Equal(4, await Store.AppendAsync("consent", ["d"], Ct));
        Assert.Equal(1, await Store.AppendAsync("clicks", ["other log"], Ct));

        var entries = await Store.ReadAsync("consent", 1, 2, Ct);
        Assert.Equal([2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal(["b", "c"], entries.Select(e => e.Payload));
        Assert.Equal(Time.GetUtcNow(), entries[0].Timestamp);
        Assert.Empty(await Store.ReadAsync("consent", 4, 10, Ct));
        Assert.Equal(4, await Store.GetLastSequenceAsync("consent", Ct));

        Assert.Equal(0, await Store.GetCursorAsync("consent", "writeback", Ct));
        await Store.SetCursorAsync("consent", "writeback", 3, Ct);
        await Store.SetCursorAsync("consent", "export", 1, Ct);
        Assert.Equal(3, await Store.GetCursorAsync("consent", "writeback", Ct));
        Assert.Equal(1, await Store.GetCursorAsync("consent", "export", Ct));
        Assert.Equal(0, await Store.GetCursorAsync("clicks", "writeback", Ct));
    }

    [Fact]
    public async Task Cursors_are_listed_per_log_and_deleted_by_name()
    {
        await Store.SetCursorAsync("clicks", "aggregator", 7, Ct);
        await Store.SetCursorAsync("clicks", "journal:a", 3, Ct);
        await Store.SetCursorAsync("clicks", "journal:a:log", 5, Ct);
        await Store.SetCursorAsync("consent", "journal:a", 9, Ct);
        Assert.Equal(
            new Dictionary<string, long> { ["aggregator"] = 7, ["journal:a"] = 3, ["journal:a:log"] = 5 },
            await Store.ListCursorsAsync("clicks", Ct));

        await Store.DeleteCursorsAsync("clicks", ["journal:a", "journal:a:log", "never-there"], Ct);
        await Store.DeleteCursorsAsync("clicks", [], Ct);

        Assert.Equal(new Dictionary<string, long> { ["aggregator"] = 7 }, await Store.ListCursorsAsync("clicks", Ct));
        Assert.Equal(0, await Store.GetCursorAsync("clicks", "journal:a", Ct));
        Assert.Equal(9, await Store.GetCursorAsync("consent", "journal:a", Ct));
        Assert.Empty(await Store.ListCursorsAsync("empty", Ct));
    }

    [Fact]
    public async Task Click_retention_forgets_the_cursors_of_journals_older_than_everything_the_log_keeps()
    {
        await Store.AppendAsync("clicks", ["old1", "old2", "old3"], Ct);
        Time.Advance(TimeSpan.FromDays(100));
        await Store.AppendAsync("clicks", ["new4", "new5"], Ct);
        await Store.SetCursorAsync("clicks", SfCompanion.Tracking.ClickAggregator.Consumer, 5, Ct);
        // A replaced pod's journal last moved clicks up to 2; a live one up to 4.
        await Store.SetCursorAsync("clicks", "journal:gone", 10, Ct);
        await Store.SetCursorAsync("clicks", "journal:gone:log", 2, Ct);
        await Store.SetCursorAsync("clicks", "journal:live", 20, Ct);
        await Store.SetCursorAsync("clicks", "journal:live:log", 4, Ct);
        var retention = new SfCompanion.Tracking.ClickRetention(
            Store, Microsoft.Extensions.Options.Options.Create(new SfCompanion.Tracking.TrackingOptions { RetentionDays = 90 }), Time);

        Assert.Equal(3, await retention.RunAsync(Ct));

        Assert.Equal(
            new[] { SfCompanion.Tracking.ClickAggregator.Consumer, "journal:live", "journal:live:log" }.Order(StringComparer.Ordinal),
            (await Store.ListCursorsAsync("clicks", Ct)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await retention.ForgetGoneJournalsAsync(Ct));
    }

    [Fact]
    public async Task Trimming_removes_old_entries_only_and_sequences_continue()
    {
        await Store.AppendAsync("clicks", ["old1", "old2"], Ct);
        Time.Advance(TimeSpan.FromDays(10));
        await Store.AppendAsync("clicks", ["new1"], Ct);

        Assert.Equal(2, await Store.TrimAsync("clicks", Time.GetUtcNow().AddDays(-5), Ct));
        var left = await Store.ReadAsync("clicks", 0, 10, Ct);
        Assert.Equal(["new1"], left.Select(e => e.Payload));
        Assert.Equal(3, left[0].Sequence);

        Time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(1, await Store.TrimAsync("clicks", Time.GetUtcNow(), Ct));
        Assert.Empty(await Store.ReadAsync("clicks", 0, 10, Ct));
        Assert.Equal(4, await Store.AppendAsync("clicks", ["after trim"], Ct));
        Assert.Equal(0, await Store.TrimAsync("clicks", Time.GetUtcNow().AddDays(-1), Ct));
    }

    [Fact]
    public async Task Deleting_entries_by_sequence_keeps_the_others_and_the_numbering()
    {
        await Store.AppendAsync("clicks", ["a", "b", "c", "d", "e"], Ct);
        await Store.AppendAsync("consent", ["other log"], Ct);

        Assert.Equal(2, await Store.DeleteAsync("clicks", [2, 4, 4, 99], Ct));
        Assert.Equal(0, await Store.DeleteAsync("clicks", [2], Ct));
        Assert.Equal(0, await Store.DeleteAsync("clicks", [], Ct));

        var left = await Store.ReadAsync("clicks", 0, 10, Ct);
        Assert.Equal(["a", "c", "e"], left.Select(e => e.Payload));
        Assert.Equal([1L, 3L, 5L], left.Select(e => e.Sequence));
        Assert.Equal(["c", "e"], (await Store.ReadAsync("clicks", 1, 10, Ct)).Select(e => e.Payload));
        Assert.Equal(5, await Store.GetLastSequenceAsync("clicks", Ct));
        Assert.Equal(6, await Store.AppendAsync("clicks", ["f"], Ct));
        Assert.Equal(["other log"], (await Store.ReadAsync("consent", 0, 10, Ct)).Select(e => e.Payload));
    }

    [Fact]
    public async Task Lease_is_exclusive_until_it_expires_then_can_be_taken_over()
    {
        Assert.True(await Store.TryAcquireAsync("job:writeback", "node-a", TimeSpan.FromSeconds(30), Ct));
        Assert.False(await Store.TryAcquireAsync("job:writeback", "node-b", TimeSpan.FromSeconds(30), Ct));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await Store.TryAcquireAsync("job:writeback", "node-a", TimeSpan.FromSeconds(30), Ct));
        Time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await Store.TryAcquireAsync("job:writeback", "node-b", TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("node-a", await Store.GetHolderAsync("job:writeback", Ct));

        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await Store.GetHolderAsync("job:writeback", Ct));
        Assert.True(await Store.TryAcquireAsync("job:writeback", "node-b", TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("node-b", await Store.GetHolderAsync("job:writeback", Ct));
        Assert.False(await Store.ReleaseAsync("job:writeback", "node-a", Ct));
        Assert.True(await Store.ReleaseAsync("job:writeback", "node-b", Ct));
        Assert.True(await Store.TryAcquireAsync("job:writeback", "node-a", TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Counters_add_up_across_concurrent_increments()
    {
        Assert.Equal(0, await Store.GetAsync("calls", Ct));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Store.IncrementAsync("calls", 2, Ct);
            }
        }, Ct)));
        Assert.Equal(200, await Store.GetAsync("calls", Ct));
        Assert.Equal(190, await Store.IncrementAsync("calls", -10, Ct));
    }

    [Fact]
    public async Task Hundred_thousand_entries_appended_in_batches_read_back_complete_and_in_order()
    {
        const int total = 100_000;
        const int batch = 1_000;
        for (var start = 0; start < total; start += batch)
        {
            var payloads = Enumerable.Range(start, batch).Select(i => "click-" + i).ToArray();
            Assert.Equal(start + 1, await Store.AppendAsync("bulk", payloads, Ct));
        }

        long cursor = 0;
        var expected = 0;
        while (true)
        {
            var page = await Store.ReadAsync("bulk", cursor, 7_000, Ct);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var entry in page)
            {
                Assert.Equal(expected + 1, entry.Sequence);
                Assert.Equal("click-" + expected, entry.Payload);
                expected++;
            }

            cursor = page[^1].Sequence;
        }

        Assert.Equal(total, expected);
    }

    [Fact]
    public async Task Group_commit_makes_every_concurrent_append_durable_in_fewer_writes()
    {
        await using (var log = new GroupCommitLog(Store, maxBatch: 256))
        {
            var appends = Enumerable.Range(0, 2_000).Select(i => log.AppendAsync(i % 2 == 0 ? "clicks" : "honeypot", "e" + i, Ct)).ToArray();
            var sequences = await Task.WhenAll(appends);
            Assert.Equal(1_000, sequences.Where((_, i) => i % 2 == 0).Distinct().Count());
            Assert.True(log.BatchesWritten < 2_000);
        }

        var store = await RestartAsync();
        var clicks = await store.ReadAsync("clicks", 0, 5_000, Ct);
        Assert.Equal(1_000, clicks.Count);
        Assert.Equal(Enumerable.Range(1, 1_000).Select(i => (long)i), clicks.Select(c => c.Sequence));
        Assert.Equal(1_000, (await store.ReadAsync("honeypot", 0, 5_000, Ct)).Count);
    }

    [Fact]
    public async Task Health_reports_reachable()
    {
        var health = await Store.CheckHealthAsync(Ct);
        Assert.True(health.Reachable);
        Assert.False(string.IsNullOrWhiteSpace(health.Description));
    }
}
