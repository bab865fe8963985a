using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Spine;

public sealed class SyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initial_sync_below_the_threshold_uses_rest_pages_and_mirrors_every_record()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        var ids = SpineData.InsertLeads(h, 1_234);

        var result = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("rest", result.Mode);
        Assert.Equal(1_234, await h.Mirror.CountAsync("Lead", Ct));
        var lead = (await h.Mirror.GetAsync("Lead", ids[7], Ct))!;
        Assert.Equal("Martin 7", lead["LastName"]);
        Assert.Equal("17", lead["NumberOfEmployees"]);
        Assert.Equal("false", lead["HasOptedOutOfEmail"]);
        // One describe (field types, kept for computations), one COUNT() plus one call per 200-record page.
        Assert.Equal(2 + (long)Math.Ceiling(1_234 / 200.0), result.ApiCalls);
        Assert.Equal("picklist", (await new SchemaStore(h.Store).GetAsync("Lead", Ct))!.Field("Status")!.Type);
        Assert.Single(await h.Mirror.FindAsync("Lead", "Email", "CAMILLE.MARTIN7@exemple.fr", cancellationToken: Ct));
    }

    [Fact]
    public async Task A_field_added_to_the_sync_reads_every_record_again_once_then_incremental_resumes()
    {
        var options = SpineData.LeadsOnly();
        await using var h = await SpineHarness.StartAsync(sync: options);
        var ids = SpineData.InsertLeads(h, 450);
        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);
        Assert.Null((await h.Mirror.GetAsync("Lead", ids[3], Ct))!["OwnerId"]);

        options.Objects[0].Fields.Add("OwnerId");
        await h.RestartAsync();
        var reread = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);
        var next = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("full", reread.Mode);
        Assert.Equal(450, reread.Upserted);
        Assert.Equal(h.Org.Data.Get(ids[3])!["OwnerId"], (await h.Mirror.GetAsync("Lead", ids[3], Ct))!["OwnerId"]);
        Assert.Equal("incremental", next.Mode);
        Assert.Contains("OwnerId", (await h.States.GetAsync("Lead", Ct))!.Fields!);
    }

    [Fact]
    public async Task Parent_relationship_fields_are_mirrored_from_streamed_pages()
    {
        var options = SpineData.LeadsOnly();
        options.Objects[0].Fields.Add("Owner.Name");
        options.Objects[0].Fields.Add("OwnerId");
        await using var h = await SpineHarness.StartAsync(sync: options);
        var ids = SpineData.InsertLeads(h, 900);
        var owner = (string)h.Org.Data.Get(ids[0])!["OwnerId"]!;
        var ownerName = (string)h.Org.Data.Get(owner)!["Name"]!;

        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        var lead = (await h.Mirror.GetAsync("Lead", ids[0], Ct))!;
        Assert.Equal(ownerName, lead["Owner.Name"]);
        Assert.Equal(900, await h.Mirror.CountAsync("Lead", Ct));
    }

    [Fact]
    public async Task Initial_sync_above_the_threshold_uses_one_bulk_query()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly(bulkThreshold: 1_000));
        var ids = SpineData.InsertLeads(h, 2_500);

        var result = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("bulk", result.Mode);
        Assert.Equal(2_500, await h.Mirror.CountAsync("Lead", Ct));
        Assert.Equal("Martin 2499", (await h.Mirror.GetAsync("Lead", ids[^1], Ct))!["LastName"]);
        Assert.Equal(1, h.Client.Calls[SalesforceOperations.Query]);
        Assert.True(result.ApiCalls <= 6, $"bulk initial load used {result.ApiCalls} calls");
        var state = (await h.States.GetAsync("Lead", Ct))!;
        Assert.True(state.InitialComplete);
        Assert.NotNull(state.Watermark);
    }

    [Fact]
    public async Task Incremental_sync_brings_updates_creations_and_deletions()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        var ids = SpineData.InsertLeads(h, 300);
        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        h.Org.Data.Update(ids[3], new Dictionary<string, object?> { ["Company"] = "Nouvelle Société" });
        h.Org.Data.Update(ids[250], new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = true });
        var created = SpineData.InsertLeads(h, 2, start: 1_000);
        h.Org.Data.Delete(ids[10]);

        var result = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("incremental", result.Mode);
        // Every record was written within the 5-minute overlap before the watermark, so all 302 (deleted one
        // included, through queryAll) are read again: two 200-record pages.
        Assert.Equal(2, result.ApiCalls);
        Assert.Equal("Nouvelle Société", (await h.Mirror.GetAsync("Lead", ids[3], Ct))!["Company"]);
        Assert.Equal("true", (await h.Mirror.GetAsync("Lead", ids[250], Ct))!["HasOptedOutOfEmail"]);
        Assert.NotNull(await h.Mirror.GetAsync("Lead", created[1], Ct));
        Assert.Null(await h.Mirror.GetAsync("Lead", ids[10], Ct));
        Assert.Equal(301, await h.Mirror.CountAsync("Lead", Ct));
        Assert.Equal(1, result.Deleted);
    }

    [Fact]
    public async Task A_record_changed_while_the_sync_runs_is_picked_up_by_the_next_run()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        var ids = SpineData.InsertLeads(h, 1_000);
        var changed = false;
        await h.Sync.SyncObjectAsync("Lead", (_, done, _) =>
        {
            if (!changed && done >= 200)
            {
                // ids[0] is already in the mirror with its old value; ids[999] has not been read yet.
                h.Org.Data.Update(ids[0], new Dictionary<string, object?> { ["Company"] = "Changée pendant la sync" });
                h.Org.Data.Update(ids[999], new Dictionary<string, object?> { ["Company"] = "Changée aussi" });
                changed = true;
            }
        }, Ct);

        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("Changée pendant la sync", (await h.Mirror.GetAsync("Lead", ids[0], Ct))!["Company"]);
        Assert.Equal("Changée aussi", (await h.Mirror.GetAsync("Lead", ids[999], Ct))!["Company"]);
        Assert.Equal(1_000, await h.Mirror.CountAsync("Lead", Ct));
    }

    [Fact]
    public async Task A_crash_in_the_middle_of_the_initial_load_resumes_without_gaps_or_duplicates()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        SpineData.InsertLeads(h, 1_100);
        using var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Sync.SyncObjectAsync("Lead", (_, done, _) =>
        {
            if (done >= 400)
            {
                crash.Cancel();
            }
        }, crash.Token));
        var partial = await h.Mirror.CountAsync("Lead", Ct);
        Assert.InRange(partial, 400, 1_099);
        Assert.False((await h.States.GetAsync("Lead", Ct))!.InitialComplete);

        await h.RestartAsync();
        var result = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("rest", result.Mode);
        Assert.Equal(1_100, await h.Mirror.CountAsync("Lead", Ct));
        // The resumed query starts at the last page written: far fewer than a full reload's 7 calls.
        Assert.True(result.ApiCalls < 7, $"resume used {result.ApiCalls} calls");
        Assert.True((await h.States.GetAsync("Lead", Ct))!.InitialComplete);
    }

    [Fact]
    public async Task After_the_delete_window_a_full_resync_removes_records_gone_from_salesforce()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        var ids = SpineData.InsertLeads(h, 50);
        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);
        h.Org.Data.Delete(ids[5]);
        h.Time.Advance(TimeSpan.FromDays(16));

        var result = await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);

        Assert.Equal("full", result.Mode);
        Assert.Null(await h.Mirror.GetAsync("Lead", ids[5], Ct));
        Assert.Equal(49, await h.Mirror.CountAsync("Lead", Ct));
        Assert.Equal(1, result.Deleted);
    }

    [Fact]
    public async Task A_token_expiring_mid_sync_is_refreshed_once_and_the_sync_completes()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        SpineData.InsertLeads(h, 700);
        var expired = false;
        await h.Sync.SyncObjectAsync("Lead", (_, done, _) =>
        {
            if (!expired && done >= 200)
            {
                h.Org.Faults.ExpireTokensNow();
                expired = true;
            }
        }, Ct);

        Assert.Equal(700, await h.Mirror.CountAsync("Lead", Ct));
        Assert.Equal(2, h.Client.Calls[SalesforceOperations.AuthToken]);
    }

    [Fact]
    public async Task A_spent_budget_stops_the_sync_cleanly_and_the_next_run_resumes()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        SpineData.InsertLeads(h, 1_000);
        h.Budget = new SalesforceBudgetOptions { MaxCallsPerRun = 3 };
        await h.RestartAsync();

        var first = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.False(first.Completed);
        Assert.Contains("budget", first.StoppedBecause, StringComparison.OrdinalIgnoreCase);
        var partial = await h.Mirror.CountAsync("Lead", Ct);
        Assert.InRange(partial, 1, 999);

        h.Budget = null;
        await h.RestartAsync();
        var second = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.True(second.Completed);
        Assert.Equal(1_000, await h.Mirror.CountAsync("Lead", Ct));
    }
}
