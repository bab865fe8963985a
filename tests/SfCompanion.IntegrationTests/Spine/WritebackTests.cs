using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Spine;

public sealed class WritebackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(SpineHarness Harness, List<string> Ids)> SyncedAsync(int leads, WritebackOptions? writeback = null, int latencyMs = 0)
    {
        var h = await SpineHarness.StartAsync(sync: SpineData.LeadsOnly(), writeback: writeback, latencyMs: latencyMs);
        var ids = SpineData.InsertLeads(h, leads);
        await h.Sync.SyncObjectAsync("Lead", cancellationToken: Ct);
        return (h, ids);
    }

    private static IEnumerable<DesiredValue> Scores(IEnumerable<string> ids, int offset = 0) =>
        ids.Select((id, i) => new DesiredValue("Lead", id, "Sfc_Score__c", i + offset, "test", "score"));

    private object? OrgValue(SpineHarness h, string id, string field) => h.Org.Data.Get(id)![field];

    [Fact]
    public async Task Changed_values_go_in_collections_of_200_and_unchanged_values_cost_no_call()
    {
        var (h, ids) = await SyncedAsync(450);
        await using var _ = h;
        await h.Outbox.EnqueueAsync(Scores(ids), Ct);

        var first = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(3, first.ApiCalls);
        Assert.Equal(3, first.CallsByOperation[SalesforceOperations.CollectionsUpdate]);
        Assert.Equal(450, first.Succeeded);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        Assert.Equal(449m, Convert.ToDecimal(OrgValue(h, ids[449], "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("449", (await h.Mirror.GetAsync("Lead", ids[449], Ct))!["Sfc_Score__c"]);

        await h.Outbox.EnqueueAsync(Scores(ids), Ct);
        var again = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(0, again.ApiCalls);
        Assert.Equal(450, again.Unchanged);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task Values_equal_to_what_sync_read_are_not_sent()
    {
        var (h, ids) = await SyncedAsync(20);
        await using var _ = h;
        await h.Outbox.EnqueueAsync(ids.Select((id, i) => new DesiredValue("Lead", id, "NumberOfEmployees", 10 + i, "test")), Ct);
        await h.Outbox.EnqueueAsync([new DesiredValue("Lead", ids[0], "HasOptedOutOfEmail", false, "test")], Ct);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(0, result.ApiCalls);
        Assert.Equal(20, result.Unchanged);
    }

    [Fact]
    public async Task Large_sets_go_through_bulk_api_and_reach_salesforce()
    {
        var (h, ids) = await SyncedAsync(300, new WritebackOptions { BulkThreshold = 100 });
        await using var _ = h;
        await h.Outbox.EnqueueAsync(ids.Select(id => new DesiredValue("Lead", id, "Company", "Bulk Corp", "test")), Ct);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(300, result.Succeeded);
        Assert.False(result.CallsByOperation.ContainsKey(SalesforceOperations.CollectionsUpdate));
        Assert.Equal(1, result.CallsByOperation[SalesforceOperations.BulkIngestCreate]);
        Assert.All(ids, id => Assert.Equal("Bulk Corp", OrgValue(h, id, "Company")));
        Assert.Equal("Bulk Corp", (await h.Mirror.GetAsync("Lead", ids[299], Ct))!["Company"]);
    }

    [Fact]
    public async Task Changes_spread_over_many_pages_are_planned_per_object_and_sent_in_one_bulk_job_each()
    {
        var sync = new SyncOptions
        {
            QueryBatchSize = 2_000,
            Objects =
            [
                new SyncObjectOptions { Name = "Lead", Fields = ["LastName", "Company"] },
                new SyncObjectOptions { Name = "Contact", Fields = ["LastName", "Title"] },
            ],
        };
        await using var h = await SpineHarness.StartAsync(sync: sync, writeback: new WritebackOptions { PageSize = 1_000, BulkThreshold = 2_000 });
        var leads = SpineData.InsertLeads(h, 6_000);
        var contacts = Enumerable.Range(0, 3_000)
            .Select(i => h.Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Contact " + i, ["Title"] = "Old" }))
            .ToList();
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        IEnumerable<DesiredValue> Values() => Scores(leads, offset: 7)
            .Concat(contacts.Select((id, i) => new DesiredValue("Contact", id, "Title", "Title " + i, "test")));
        await h.Outbox.EnqueueAsync(Values(), Ct);

        var first = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Null(first.StoppedBecause);
        Assert.Equal(9_000, first.Succeeded);
        Assert.False(first.CallsByOperation.ContainsKey(SalesforceOperations.CollectionsUpdate));
        Assert.Equal(2, first.CallsByOperation[SalesforceOperations.BulkIngestCreate]);
        Assert.Equal(2, first.CallsByOperation[SalesforceOperations.BulkIngestUpload]);
        Assert.Equal(2, first.CallsByOperation[SalesforceOperations.BulkIngestClose]);
        Assert.All(first.CallsByOperation.Keys, op => Assert.StartsWith("bulk.ingest.", op, StringComparison.Ordinal));
        Assert.Equal(first.ApiCalls, first.CallsByOperation.Values.Sum());
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        Assert.All(leads.Select((id, i) => (id, i)), l =>
            Assert.Equal((decimal)(l.i + 7), Convert.ToDecimal(OrgValue(h, l.id, "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(contacts.Select((id, i) => (id, i)), c => Assert.Equal("Title " + c.i, OrgValue(h, c.id, "Title")));

        await h.Outbox.EnqueueAsync(Values(), Ct);
        var again = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(0, again.ApiCalls);
        Assert.Equal(9_000, again.Unchanged);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task Records_of_one_object_changing_different_fields_share_one_bulk_job_and_untouched_fields_stay()
    {
        var (h, ids) = await SyncedAsync(300, new WritebackOptions { BulkThreshold = 100 });
        await using var _ = h;
        await h.Outbox.EnqueueAsync(ids.Select(id => new DesiredValue("Lead", id, "Title", "Buyer", "test")), Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        var before = ids.Select(id => OrgValue(h, id, "Company")).ToList();
        // A third change the company, a third the title, a third clear the title: three field sets, one object.
        await h.Outbox.EnqueueAsync(ids.Select((id, i) => (i % 3) switch
        {
            0 => new DesiredValue("Lead", id, "Company", "Corp " + i, "test"),
            1 => new DesiredValue("Lead", id, "Title", "Title " + i, "test"),
            _ => new DesiredValue("Lead", id, "Title", null, "test"),
        }), Ct);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(300, result.Succeeded);
        Assert.False(result.CallsByOperation.ContainsKey(SalesforceOperations.CollectionsUpdate));
        Assert.Equal(1, result.CallsByOperation[SalesforceOperations.BulkIngestCreate]);
        for (var i = 0; i < ids.Count; i++)
        {
            // A cell a record left empty kept the field as it was.
            var (company, title) = (i % 3) switch
            {
                0 => ("Corp " + i, "Buyer"),
                1 => (before[i], "Title " + i),
                _ => (before[i], null),
            };
            Assert.Equal(company, OrgValue(h, ids[i], "Company"));
            Assert.Equal(title, OrgValue(h, ids[i], "Title"));
        }
    }

    [Fact]
    public async Task A_field_removed_from_the_org_after_its_values_were_queued_is_set_aside_and_the_other_fields_still_reach_salesforce()
    {
        var (h, ids) = await SyncedAsync(300, new WritebackOptions { BulkThreshold = 100 });
        await using var _ = h;
        // Every record gets a score; every other one a title too.
        await h.Outbox.EnqueueAsync(Scores(ids, offset: 1), Ct);
        await h.Outbox.EnqueueAsync(ids.Where((_, i) => i % 2 == 0).Select(id => new DesiredValue("Lead", id, "Title", "Title " + id, "test")), Ct);
        var scoresBefore = ids.Select(id => OrgValue(h, id, "Sfc_Score__c")).ToList();
        // Then the score field goes away (deleted, or the permission set lost) before the writeback runs.
        h.Org.Data.RevokeAccess("Lead", "Sfc_Score__c");

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(150, result.Succeeded);
        Assert.Equal(300, result.DeadLettered);
        Assert.Equal(2, result.CallsByOperation[SalesforceOperations.BulkIngestCreate]);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? "Title " + ids[i] : null, OrgValue(h, ids[i], "Title"));
            Assert.Equal(scoresBefore[i], OrgValue(h, ids[i], "Sfc_Score__c"));
        }

        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        var (dead, _) = await h.Outbox.ListDeadAsync(null, 1000, Ct);
        Assert.Equal(300, dead.Count);
        Assert.All(dead, d =>
        {
            Assert.Equal(WritebackService.InvalidFieldCode, d.ErrorCode);
            Assert.Equal(["Sfc_Score__c"], d.ErrorFields);
            Assert.Equal(["Sfc_Score__c"], d.Entry.Fields.Keys);
            Assert.Contains("Field name not found : Sfc_Score__c", d.Message, StringComparison.Ordinal);
        });

        // Once the field is back, a requeued value goes through.
        h.Org.Data.RestoreAccess();
        Assert.True(await h.Outbox.RequeueAsync("Lead", ids[1], Ct));
        var again = await h.Writeback.RunAsync(cancellationToken: Ct);
        Assert.Equal(1, again.Succeeded);
        Assert.Equal(2m, Convert.ToDecimal(OrgValue(h, ids[1], "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_bulk_job_failing_as_a_whole_for_another_reason_is_retried_with_back_off_not_resent_every_run()
    {
        var (h, ids) = await SyncedAsync(150, new WritebackOptions { BulkThreshold = 100, RetryBaseSeconds = 60 });
        await using var _ = h;
        await h.Outbox.EnqueueAsync(Scores(ids, offset: 1), Ct);
        h.Org.Faults.FailNextIngestJobs(1);

        var first = await h.Writeback.RunAsync(cancellationToken: Ct);
        var second = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(0, first.Succeeded);
        Assert.Equal(150, first.Retrying);
        var entry = (await h.Outbox.GetAsync("Lead", ids[0], Ct))!;
        Assert.Equal(1, entry.Attempts);
        Assert.Contains(WritebackService.BulkJobFailedCode, entry.LastError, StringComparison.Ordinal);
        Assert.NotNull(entry.NextAttemptAt);
        // Backing off: the second run sends nothing.
        Assert.Equal(0, second.Sent);
        Assert.Equal(0L, second.CallsByOperation.GetValueOrDefault(SalesforceOperations.BulkIngestCreate));
    }

    [Fact]
    public async Task Two_runs_at_once_create_each_record_once()
    {
        var (h, _) = await SyncedAsync(10, latencyMs: 20);
        await using var _h = h;
        for (var i = 0; i < 30; i++)
        {
            await h.Outbox.EnqueueRecordAsync(new DesiredRecord("Task", "follow-up-" + i, new Dictionary<string, object?> { ["Subject"] = "Follow-up " + i }, "test"), Ct);
        }

        // The demo's own run and a requested writeback job in one process: they take turns.
        var results = await Task.WhenAll(h.Writeback.RunAsync(cancellationToken: Ct), h.Writeback.RunAsync(cancellationToken: Ct));

        Assert.Equal(30, results.Sum(r => r.Succeeded));
        Assert.Equal(30, h.Org.Data.Query("SELECT Id FROM Task WHERE Subject LIKE 'Follow-up %'").Count);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task A_bulk_group_larger_than_a_job_is_sent_in_jobs_of_bulk_job_size()
    {
        var (h, ids) = await SyncedAsync(300, new WritebackOptions { PageSize = 100, BulkThreshold = 100, BulkJobSize = 100 });
        await using var _ = h;
        await h.Outbox.EnqueueAsync(ids.Select(id => new DesiredValue("Lead", id, "Company", "Jobs Corp", "test")), Ct);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(300, result.Succeeded);
        Assert.False(result.CallsByOperation.ContainsKey(SalesforceOperations.CollectionsUpdate));
        Assert.Equal(3, result.CallsByOperation[SalesforceOperations.BulkIngestCreate]);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        Assert.All(ids, id => Assert.Equal("Jobs Corp", OrgValue(h, id, "Company")));
    }

    [Fact]
    public async Task The_last_enqueued_value_wins()
    {
        var (h, ids) = await SyncedAsync(1);
        await using var _ = h;
        await h.Outbox.EnqueueAsync([new DesiredValue("Lead", ids[0], "Company", "First", "a")], Ct);
        await h.Outbox.EnqueueAsync([new DesiredValue("Lead", ids[0], "Company", "Second", "b", "newer")], Ct);
        var pending = (await h.Outbox.GetAsync("Lead", ids[0], Ct))!;
        Assert.Equal("Second", pending.Fields["Company"].Value);
        Assert.Equal("b", pending.Fields["Company"].Source);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(1, result.Sent);
        Assert.Equal("Second", OrgValue(h, ids[0], "Company"));
    }

    [Fact]
    public async Task A_refused_record_goes_to_the_dead_letter_list_and_can_be_requeued()
    {
        var (h, ids) = await SyncedAsync(5);
        await using var _ = h;
        h.Org.Data.Delete(ids[2]);
        await h.Outbox.EnqueueAsync(Scores(ids), Ct);

        var result = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(4, result.Succeeded);
        Assert.Equal(1, result.DeadLettered);
        var (dead, _) = await h.Outbox.ListDeadAsync(null, 10, Ct);
        var letter = Assert.Single(dead);
        Assert.Equal(ids[2], letter.Entry.Id);
        Assert.Equal("ENTITY_IS_DELETED", letter.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(letter.Message));
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));

        Assert.True(await h.Outbox.RequeueAsync("Lead", ids[2], Ct));
        Assert.Equal(1, await h.Outbox.CountAsync(Ct));
        Assert.Equal(0, await h.Outbox.CountDeadAsync(Ct));
        Assert.Equal("2", (await h.Outbox.GetAsync("Lead", ids[2], Ct))!.Fields["Sfc_Score__c"].Value);
    }

    [Fact]
    public async Task A_locked_record_backs_off_and_succeeds_on_a_later_run()
    {
        var (h, ids) = await SyncedAsync(10);
        await using var _ = h;
        h.Org.Faults.LockRecord(ids[4]);
        await h.Outbox.EnqueueAsync(Scores(ids), Ct);

        var first = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(9, first.Succeeded);
        Assert.Equal(1, first.Retrying);
        var waiting = (await h.Outbox.GetAsync("Lead", ids[4], Ct))!;
        Assert.Equal(1, waiting.Attempts);
        Assert.StartsWith("UNABLE_TO_LOCK_ROW", waiting.LastError, StringComparison.Ordinal);

        // Not due yet: the next run leaves it alone.
        var early = await h.Writeback.RunAsync(cancellationToken: Ct);
        Assert.Equal(0, early.Sent);

        h.Org.Faults.UnlockRecord(ids[4]);
        h.Time.Advance(TimeSpan.FromHours(1));
        var later = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(1, later.Succeeded);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        Assert.Equal(4m, Convert.ToDecimal(OrgValue(h, ids[4], "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_spent_budget_stops_the_writeback_cleanly_and_later_runs_finish_it()
    {
        var (h, ids) = await SyncedAsync(1_000);
        await using var _ = h;
        h.Budget = new SalesforceBudgetOptions { MaxCallsPerRun = 2 };
        await h.RestartAsync();
        await h.Outbox.EnqueueAsync(Scores(ids, offset: 5), Ct);

        var first = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(2, first.ApiCalls);
        Assert.Equal(400, first.Succeeded);
        Assert.NotNull(first.StoppedBecause);
        Assert.Equal(600, await h.Outbox.CountAsync(Ct));

        var runs = 1;
        while (await h.Outbox.CountAsync(Ct) > 0 && runs < 10)
        {
            await h.Writeback.RunAsync(cancellationToken: Ct);
            runs++;
        }

        Assert.Equal(3, runs);
        for (var i = 0; i < ids.Count; i += 97)
        {
            Assert.Equal((decimal)(i + 5), Convert.ToDecimal(OrgValue(h, ids[i], "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task When_salesforce_is_down_values_wait_in_the_outbox()
    {
        var (h, ids) = await SyncedAsync(30);
        await using var _ = h;
        await h.Outbox.EnqueueAsync(Scores(ids), Ct);
        h.Org.Faults.FailNextRequests(1_000, 503);

        var down = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.NotNull(down.StoppedBecause);
        Assert.Equal(0, down.Succeeded);
        Assert.Equal(30, await h.Outbox.CountAsync(Ct));
        Assert.Equal(0, await h.Outbox.CountDeadAsync(Ct));

        h.Org.Faults.Clear();
        var back = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(30, back.Succeeded);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task A_crash_mid_writeback_then_restart_applies_every_value_with_none_lost()
    {
        var (h, ids) = await SyncedAsync(1_000, latencyMs: 15);
        await using var _ = h;
        await h.Outbox.EnqueueAsync(Scores(ids, offset: 1), Ct);

        using (var crash = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            crash.CancelAfter(TimeSpan.FromMilliseconds(40));
            try
            {
                await h.Writeback.RunAsync(cancellationToken: crash.Token);
            }
            catch (OperationCanceledException)
            {
                // The "crash": wherever it happened, the outbox still holds what Salesforce has not confirmed.
            }
        }

        await h.RestartAsync();
        var after = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Null(after.StoppedBecause);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        Assert.Equal(0, await h.Outbox.CountDeadAsync(Ct));
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal((decimal)(i + 1), Convert.ToDecimal(OrgValue(h, id, "Sfc_Score__c"), System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
