using SfCompanion.Salesforce;
using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Spine;

/// <summary>The incremental pass over several objects: Composite calls, next pages shared, Bulk for large change sets, failures per object.</summary>
public sealed class BatchedSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_idle_pass_over_the_nine_default_objects_costs_two_calls_and_changes_nothing()
    {
        await using var h = await SpineHarness.StartAsync(demoLeads: 1_000);
        var initial = await h.Sync.SyncAllAsync(cancellationToken: Ct);
        Assert.True(initial.Completed);
        Assert.Equal(9, initial.Objects.Count);

        var orgBefore = h.Org.Limits.ApiCallsUsed;
        var idle = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.True(idle.Completed);
        Assert.All(idle.Objects, o => Assert.Equal(SyncModes.Incremental, o.Mode));
        // Everything was written within the overlap window, so every object reads its recent records again, yet none differs.
        Assert.Equal(0, idle.Changed);
        Assert.Equal(2, idle.ApiCalls);
        Assert.Equal(2, h.Org.Limits.ApiCallsUsed - orgBefore);
        Assert.Equal(2, h.Client.Calls[SalesforceOperations.Composite]);

        var lead = h.OrgRecords("SELECT Id FROM Lead LIMIT 1")[0]["Id"]!.ToString()!;
        h.Org.Data.Update(lead, new Dictionary<string, object?> { ["Company"] = "Nouvelle Société" });
        var changed = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.Equal(1, changed.Changed);
        Assert.Equal(1, changed.Objects.Single(o => o.Object == "Lead").Upserted);
        Assert.Equal("Nouvelle Société", (await h.Mirror.GetAsync("Lead", lead, Ct))!["Company"]);
        Assert.Equal(2, changed.ApiCalls);
    }

    [Fact]
    public async Task Next_pages_of_several_objects_share_composite_calls()
    {
        var options = new SyncOptions
        {
            QueryBatchSize = 200,
            Objects =
            [
                new SyncObjectOptions { Name = "Lead", Fields = ["LastName", "Company"] },
                new SyncObjectOptions { Name = "Contact", Fields = ["LastName"] },
            ],
        };
        await using var h = await SpineHarness.StartAsync(sync: options);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        for (var i = 0; i < 450; i++)
        {
            h.Org.Data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = "L" + i, ["Company"] = "Acme" });
            h.Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "C" + i });
        }

        var result = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        // Three pages of 200 per object: both objects' first pages in one call, their second pages in the next, then the last.
        Assert.Equal(3, result.ApiCalls);
        Assert.Equal(900, result.Changed);
        Assert.Equal(450, await h.Mirror.CountAsync("Contact", Ct));
        Assert.Equal(450, await h.Mirror.CountAsync("Lead", Ct));
    }

    [Fact]
    public async Task A_large_change_set_is_read_with_a_bulk_query_and_the_others_stay_in_composite()
    {
        var options = SpineData.LeadsOnly(bulkThreshold: 1_000);
        options.Objects.Add(new SyncObjectOptions { Name = "Account", Fields = ["Name"] });
        await using var h = await SpineHarness.StartAsync(sync: options);
        var ids = SpineData.InsertLeads(h, 500);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        SpineData.InsertLeads(h, 1_500, start: 500);
        h.Org.Data.Delete(ids[0]);
        h.Org.Data.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Acme" });

        var result = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        var lead = result.Objects.Single(o => o.Object == "Lead");
        Assert.Equal(1_500, lead.Upserted);
        Assert.Equal(1, lead.Deleted);
        Assert.Equal(1, h.Client.Calls[SalesforceOperations.BulkQueryCreate]);
        Assert.Equal(1_999, await h.Mirror.CountAsync("Lead", Ct));
        Assert.Equal(1, result.Objects.Single(o => o.Object == "Account").Upserted);
        var state = (await h.States.GetAsync("Lead", Ct))!;
        Assert.Equal(SyncModes.Incremental, state.Mode);
        Assert.Equal(h.Org.Data.Get(ids[^1])!["SystemModstamp"] is DateTimeOffset m ? m : default, state.Watermark!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_object_salesforce_refuses_fails_alone_with_its_error_in_the_sync_state()
    {
        await using var h = await SpineHarness.StartAsync(demoLeads: 1_000);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        h.Org.Data.RevokeAccess("Contact", "Email");
        h.Org.Data.RevokeAccess("Opportunity");
        var lead = h.OrgRecords("SELECT Id FROM Lead LIMIT 1")[0]["Id"]!.ToString()!;
        h.Org.Data.Update(lead, new Dictionary<string, object?> { ["Company"] = "Nouvelle Société" });

        var result = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.True(result.Completed);
        Assert.Equal(["Contact", "Opportunity"], result.Failed.Select(f => f.Object).Order());
        Assert.Contains("INVALID_FIELD", result.Failed.Single(f => f.Object == "Contact").Error, StringComparison.Ordinal);
        var contactState = (await h.States.GetAsync("Contact", Ct))!;
        Assert.Contains("No such column 'Email' on entity 'Contact'", contactState.LastError, StringComparison.Ordinal);
        Assert.Contains("INVALID_TYPE", (await h.States.GetAsync("Opportunity", Ct))!.LastError, StringComparison.Ordinal);
        Assert.Equal("Nouvelle Société", (await h.Mirror.GetAsync("Lead", lead, Ct))!["Company"]);
        Assert.Null((await h.States.GetAsync("Lead", Ct))!.LastError);

        h.Org.Data.RestoreAccess();
        var healed = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        Assert.Empty(healed.Failed);
        Assert.Null((await h.States.GetAsync("Contact", Ct))!.LastError);
    }

    [Fact]
    public async Task Past_the_usage_share_passes_are_skipped_to_run_at_most_every_interval_with_the_reason()
    {
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly());
        SpineData.InsertLeads(h, 10);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        Assert.Null(await h.Sync.SlowDownReasonAsync(Ct));

        h.Org.Limits.SetUsed(h.Org.Limits.DailyApiRequestLimit * 6 / 10);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var reason = await h.Sync.SlowDownReasonAsync(Ct);

        Assert.NotNull(reason);
        Assert.Contains("Sync:SlowDownAtUsedPercent = 50%", reason, StringComparison.Ordinal);
        Assert.Contains("at most every 15 minutes", reason, StringComparison.Ordinal);
        h.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Null(await h.Sync.SlowDownReasonAsync(Ct));
    }

    [Fact]
    public async Task Once_the_overlap_has_passed_an_idle_pass_no_longer_reads_the_last_burst_again()
    {
        // The org and the service share a clock, so ten minutes pass for both.
        await using var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly(), sharedClock: true);
        var ids = SpineData.InsertLeads(h, 449);
        // SOQL date-time literals have whole seconds: the last lead is stamped a second after the burst.
        h.Time.Advance(TimeSpan.FromSeconds(1.5));
        SpineData.InsertLeads(h, 1, start: 449);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);

        var within = await h.Sync.SyncAllAsync(cancellationToken: Ct);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var settled = await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var later = await h.Sync.SyncAllAsync(cancellationToken: Ct);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Org.Data.Update(ids[5], new Dictionary<string, object?> { ["Company"] = "Nouvelle Société" });
        var changed = await h.Sync.SyncAllAsync(cancellationToken: Ct);

        // Inside the overlap the burst of 450 is read again (three 200-record pages, one call each); then only the
        // records stamped at the watermark are, in one page.
        Assert.Equal(3, within.ApiCalls);
        Assert.Equal(0, within.Changed);
        Assert.Equal(1, later.ApiCalls);
        Assert.Equal(0, later.Changed);
        Assert.Equal(0, settled.Changed);
        Assert.Equal(1, changed.Changed);
        Assert.Equal("Nouvelle Société", (await h.Mirror.GetAsync("Lead", ids[5], Ct))!["Company"]);
    }
}
