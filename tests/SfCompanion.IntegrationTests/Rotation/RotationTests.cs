using System.Globalization;
using System.Text.Json;
using SfCompanion.IntegrationTests.Spine;
using SfCompanion.Rotation;
using SfCompanion.Scoring;
using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Rotation;

/// <summary>A routine scored on an emulated org, its suspect flow shared among reps: owners and tasks in the org, SLA recycle, reassignment, no rep, deleted suspect.</summary>
public sealed class RotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly RoutineDefinition Publishers = new()
    {
        Name = "software-publishers",
        Object = "Lead",
        Mandatory = [new() { Name = "publisher", Formula = "ISPICKVAL(Industry, 'Technology')" }],
        Weighted =
        [
            new() { Name = "size", Formula = "NumberOfEmployees >= 100", Weight = 3 },
            new() { Name = "revenue", Formula = "AnnualRevenue / 10000000", Weight = 2 },
        ],
    };

    private sealed record Org(SpineHarness H, List<string> Leads, string A, string B, string C, string Inactive) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => H.DisposeAsync();

        /// <summary>Every day, all day, so that the tests do not depend on the day they run.</summary>
        public RotationPool Pool(string name, params PoolRep[] reps) => new()
        {
            Name = name,
            Routine = Publishers.Name,
            Reps = reps.Length > 0 ? reps : [new PoolRep { UserId = A, Weight = 2 }, new PoolRep { UserId = B }, new PoolRep { UserId = C }],
            WorkingDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            DayStart = "00:00",
            DayEnd = "23:59",
        };

        public async Task<SfCompanion.Rules.Versioned<RotationPool>> SaveAsync(RotationPool pool)
        {
            var (saved, problems) = await H.Rotation.SaveAsync(pool, "test", Ct);
            Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
            return saved;
        }

        public string? Owner(string id) => H.OrgRecords($"SELECT OwnerId FROM Lead WHERE Id = '{id}'")[0]["OwnerId"] as string;

        public async Task<List<RotationEvent>> AuditAsync() =>
            [.. (await H.Store.ReadAsync(RotationService.AuditLog, 0, 10_000, Ct)).Select(e => JsonSerializer.Deserialize<RotationEvent>(e.Payload, Json)!)];
    }

    private static async Task<Org> OrgAsync()
    {
        var h = await SpineHarness.StartAsync();
        string User(string name, bool active) => h.Org.Data.Insert("User", new Dictionary<string, object?>
        {
            ["Username"] = name + "@exemple.fr", ["LastName"] = name, ["Email"] = name + "@exemple.fr", ["IsActive"] = active, ["Alias"] = name[..Math.Min(8, name.Length)],
        });
        var (a, b, c, inactive) = (User("alice", true), User("bruno", true), User("chloe", true), User("denis", false));
        var ids = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(h.Org.Data.Insert("Lead", new Dictionary<string, object?>
            {
                ["LastName"] = "Martin " + i, ["Company"] = "Éditeur " + i, ["Industry"] = i < 100 ? "Technology" : "Retail",
                ["NumberOfEmployees"] = i % 2 == 0 ? 200 : 10, ["AnnualRevenue"] = i % 4 == 0 ? 5_000_000 : i * 10_000,
                ["Status"] = i % 10 == 0 ? "Working - Contacted" : "Open - Not Contacted",
                ["PostalCode"] = i % 3 == 0 ? "59000" : "75001",
                ["Email"] = $"l{i}@exemple.fr",
            }));
        }

        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var (saved, problems) = await h.Scoring.SaveAsync(Publishers, "test", Ct);
        Assert.True(saved is not null, string.Join(Environment.NewLine, problems));
        await h.Scoring.RunAsync(saved, Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        return new Org(h, ids, a, b, c, inactive);
    }

    [Fact]
    public async Task A_run_gives_the_best_suspects_of_the_segment_by_weight_with_owner_and_follow_up_task_in_Salesforce_and_the_preview_matched_it()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var saved = await org.SaveAsync(org.Pool("north") with { Segment = "BEGINS(PostalCode, '59')", MaxPerRun = 20 });
        var flowBefore = await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct);

        var preview = await h.Rotation.PreviewAsync(new RotationPreviewRequest { Pool = "north" }, Ct);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
        var run = await h.Rotation.RunAsync(saved, "test", Ct);
        var written = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(RotationStatuses.Preview, preview.Status);
        Assert.Equal(preview.Assignments.Select(a => (a.RecordId, a.Rep)), run.Assignments.Select(a => (a.RecordId, a.Rep)));
        Assert.Equal(20, run.Assigned);
        Assert.Equal((10, 5, 5), (run.PerRep[org.A], run.PerRep[org.B], run.PerRep[org.C]));
        Assert.True(run.OutOfSegment > 0);
        // Best of the segment first: the 20 assigned are the 20 best suspects with a 59 postal code.
        var inSegment = flowBefore.Where(f => org.Leads.IndexOf(f.Id) % 3 == 0).Take(20).Select(f => f.Id).ToHashSet();
        Assert.True(inSegment.SetEquals(run.Assignments.Select(a => a.RecordId)));
        Assert.Equal(0, written.DeadLettered);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(h.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
        foreach (var assignment in run.Assignments)
        {
            Assert.Equal(assignment.Rep, org.Owner(assignment.RecordId));
            var task = Assert.Single(h.OrgRecords($"SELECT OwnerId, WhoId, Subject, ActivityDate, Status FROM Task WHERE Sfc_Key__c = 'sfc-rot-{assignment.RecordId}-0'"));
            Assert.Equal((assignment.Rep, assignment.RecordId, $"New suspect (score {assignment.Score}, software-publishers)", "Not Started"),
                (task["OwnerId"] as string, task["WhoId"] as string, task["Subject"] as string, task["Status"] as string));
            Assert.Equal(today.AddDays(1), task["ActivityDate"]);
        }

        // Seen: out of the flow; a second run takes the next ones, never the same.
        var flowAfter = await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct);
        Assert.DoesNotContain(flowAfter, f => inSegment.Contains(f.Id));
        var again = await h.Rotation.RunAsync(saved, "test", Ct);
        Assert.Empty(again.Assignments.Select(a => a.RecordId).Intersect(inSegment));
        var audit = await org.AuditAsync();
        Assert.Equal(20 + again.Assigned, audit.Count(e => e.Action == "assign"));
        Assert.All(audit, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
    }

    [Fact]
    public async Task Shares_stay_fair_across_restarts_one_suspect_per_run_and_a_daily_cap_stops_a_rep_with_the_reason()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        await org.SaveAsync(org.Pool("fair", new PoolRep { UserId = org.A, Weight = 2 }, new PoolRep { UserId = org.B }, new PoolRep { UserId = org.C, DailyCap = 1 }) with { MaxPerRun = 1 });
        var reps = new List<string>();
        RotationRunResult last = null!;
        for (var i = 0; i < 8; i++)
        {
            // Each run on a fresh process: only the persisted credits carry the rotation on.
            await h.RestartAsync();
            last = await h.Rotation.RunAsync((await h.Rotation.Pools.GetAsync("fair", Ct))!, "test", Ct);
            reps.Add(Assert.Single(last.Assignments).Rep);
        }

        // Smooth weighted round robin 2:1:1 as if in one run: A B C A; then C is capped for the day and A and B go
        // on from their carried credits (B, who had just had one, waits): A A B A.
        Assert.Equal([org.A, org.B, org.C, org.A, org.A, org.A, org.B, org.A], reps);
        Assert.Contains(last.SkippedReps, s => s.UserId == org.C && s.Reason == "daily cap of 1 reached");
    }

    [Fact]
    public async Task A_suspect_untouched_past_the_SLA_goes_to_the_next_rep_then_is_parked_and_a_worked_one_stays()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var saved = await org.SaveAsync(org.Pool("sla", new PoolRep { UserId = org.A }, new PoolRep { UserId = org.B }) with { SlaHours = 2, MaxRecycles = 1, MaxPerRun = 4 });
        var first = await h.Rotation.RunAsync(saved, "test", Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        Assert.Equal(4, first.Assigned);

        // The owner of the first suspect completes a call on it.
        var worked = first.Assignments[0];
        h.Org.Data.Insert("Task", new Dictionary<string, object?> { ["Subject"] = "Call", ["WhoId"] = worked.RecordId, ["OwnerId"] = worked.Rep, ["Status"] = "Completed" });
        await h.Sync.SyncAllAsync(cancellationToken: Ct);

        h.Time.Advance(TimeSpan.FromHours(1));
        var early = await h.Rotation.RunAsync(saved with { Definition = saved.Definition with { MaxPerRun = 1 } }, "test", Ct);
        Assert.Equal((0, 1), (early.Recycled, early.Worked));

        // 2.5 working hours for the first four (past the SLA), 1.5 for the one assigned by the early run.
        h.Time.Advance(TimeSpan.FromHours(1.5));
        var second = await h.Rotation.RunAsync(saved with { Definition = saved.Definition with { MaxPerRun = 1 } }, "test", Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(3, second.Recycled);
        foreach (var moved in first.Assignments.Skip(1))
        {
            var recycle = Assert.Single(second.Assignments, a => a.RecordId == moved.RecordId);
            Assert.Equal(("recycle", moved.Rep), (recycle.Action, recycle.From));
            Assert.NotEqual(moved.Rep, recycle.Rep);
            Assert.Equal(recycle.Rep, org.Owner(moved.RecordId));
            Assert.Equal(recycle.Rep, Assert.Single(h.OrgRecords($"SELECT OwnerId FROM Task WHERE Sfc_Key__c = 'sfc-rot-{moved.RecordId}-1'"))["OwnerId"]);
        }

        Assert.Equal(worked.Rep, org.Owner(worked.RecordId));

        h.Time.Advance(TimeSpan.FromHours(3));
        var third = await h.Rotation.RunAsync(saved with { Definition = saved.Definition with { MaxPerRun = 1 } }, "test", Ct);
        Assert.Equal(3, third.Parked);
        var audit = await org.AuditAsync();
        Assert.Contains(audit, e => e.Action == "worked" && e.RecordId == worked.RecordId && e.Reason.Contains("completed a task", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Action == "recycle" && e.RecordId == first.Assignments[1].RecordId && e.Reason.Contains("within 2 working hours", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Action == "park" && e.RecordId == first.Assignments[1].RecordId && e.Reason.Contains("maxRecycles 1", StringComparison.Ordinal));
        var state = await h.Rotation.GetStateAsync("sla", Ct);
        Assert.True(state.Open[first.Assignments[1].RecordId].Parked);
    }

    [Fact]
    public async Task Reassigning_a_rep_on_leave_moves_their_open_suspects_and_open_tasks_to_the_others()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var saved = await org.SaveAsync(org.Pool("team", new PoolRep { UserId = org.A }, new PoolRep { UserId = org.B }, new PoolRep { UserId = org.C }) with { MaxPerRun = 30 });
        var run = await h.Rotation.RunAsync(saved, "test", Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var alices = run.Assignments.Where(a => a.Rep == org.A).Select(a => a.RecordId).ToList();
        Assert.Equal(10, alices.Count);

        var reassigned = await h.Rotation.ReassignAsync(saved, new ReassignRequest { From = org.A, MarkOnLeave = true }, "admin", Ct);
        await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal(10, reassigned.Assigned);
        Assert.Equal(10, reassigned.TasksMoved);
        Assert.Equal((0, 5, 5), (reassigned.PerRep[org.A], reassigned.PerRep[org.B], reassigned.PerRep[org.C]));
        Assert.True((await h.Rotation.Pools.GetAsync("team", Ct))!.Definition.Reps.Single(r => r.UserId == org.A).OnLeave);
        foreach (var id in alices)
        {
            Assert.NotEqual(org.A, org.Owner(id));
            Assert.Empty(h.OrgRecords($"SELECT Id FROM Task WHERE WhoId = '{id}' AND OwnerId = '{org.A}' AND Status != 'Completed'"));
        }

        var audit = await org.AuditAsync();
        Assert.Equal(10, audit.Count(e => e.Action == "reassign" && e.From == org.A && e.Reason.Contains("on leave", StringComparison.Ordinal)));
        var next = await h.Rotation.RunAsync((await h.Rotation.Pools.GetAsync("team", Ct))!, "test", Ct);
        Assert.Contains(next.SkippedReps, s => s.UserId == org.A && s.Reason == "on leave");
        Assert.Equal(0, next.PerRep[org.A]);
    }

    [Fact]
    public async Task A_pool_with_no_available_rep_says_why_and_loses_nothing()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var flow = (await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct)).Count;
        var nobody = await org.SaveAsync(org.Pool("nobody", new PoolRep { UserId = org.Inactive }, new PoolRep { UserId = org.A, OnLeave = true }));
        var today = TimeZoneInfo.ConvertTime(h.Time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DayOfWeek;
        var dayOff = await org.SaveAsync(org.Pool("day-off", new PoolRep { UserId = org.B }) with { WorkingDays = [WorkingCalendar.DayName((DayOfWeek)(((int)today + 1) % 7))] });

        var run = await h.Rotation.RunAsync(nobody, "test", Ct);
        var off = await h.Rotation.RunAsync(dayOff, "test", Ct);

        Assert.Equal((RotationStatuses.Idle, 0, flow), (run.Status, run.Assigned, run.Left));
        Assert.Contains("No rep of pool 'nobody' is available", run.Message, StringComparison.Ordinal);
        Assert.Contains(run.SkippedReps, s => s.UserId == org.Inactive && s.Reason.Contains("inactive", StringComparison.Ordinal));
        Assert.Contains(run.SkippedReps, s => s.UserId == org.A && s.Reason == "on leave");
        Assert.Contains(off.SkippedReps, s => s.UserId == org.B && s.Reason.Contains("not a working day", StringComparison.Ordinal));
        Assert.Equal(0, off.Assigned);
        Assert.Equal(flow, (await h.Scoring.FlowAsync(Publishers.Name, 1000, Ct)).Count);
        Assert.Equal(0, await h.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task A_suspect_deleted_in_Salesforce_since_scoring_is_skipped_and_logged()
    {
        await using var org = await OrgAsync();
        var h = org.H;
        var best = (await h.Scoring.FlowAsync(Publishers.Name, 1, Ct))[0];
        h.Org.Data.Delete(best.Id);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var saved = await org.SaveAsync(org.Pool("deleted") with { MaxPerRun = 5 });

        var run = await h.Rotation.RunAsync(saved, "test", Ct);
        var written = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.Equal([best.Id], run.SkippedDeleted);
        Assert.Equal(5, run.Assigned);
        Assert.DoesNotContain(run.Assignments, a => a.RecordId == best.Id);
        Assert.Equal(0, written.DeadLettered);
        Assert.Contains(await org.AuditAsync(), e => e.Action == "skip" && e.RecordId == best.Id && e.Reason.Contains("deleted in Salesforce", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("routine", "routine = 'nope': no saved scoring routine")]
    [InlineData("user", "no such user in the mirror")]
    [InlineData("weight", "a weight is more than 0")]
    [InlineData("cap", "openCap = -1: 0 or more")]
    [InlineData("segment", "segment")]
    public async Task Bad_pools_are_refused_with_the_pool_the_item_and_the_fix(string kind, string message)
    {
        await using var org = await OrgAsync();
        var pool = org.Pool("bad");
        pool = kind switch
        {
            "routine" => pool with { Routine = "nope" },
            "user" => pool with { Reps = [new PoolRep { UserId = "005000000000999AAA" }] },
            "weight" => pool with { Reps = [new PoolRep { UserId = org.A, Weight = 0 }] },
            "cap" => pool with { Reps = [new PoolRep { UserId = org.A, OpenCap = -1 }] },
            _ => pool with { Segment = "BEGINS(PostalCode, " },
        };

        var (saved, problems) = await org.H.Rotation.SaveAsync(pool, "test", Ct);

        Assert.Null(saved);
        var problem = Assert.Single(problems);
        Assert.Equal("bad", problem.Rule);
        Assert.True(problem.Part.Contains(message, StringComparison.Ordinal) || problem.Message.Contains(message, StringComparison.Ordinal), problem.ToString());
        if (kind == "segment")
        {
            Assert.NotNull(problem.Line);
            Assert.NotNull(problem.Column);
        }

        Assert.Null(await org.H.Rotation.Pools.GetAsync("bad", Ct));
    }
}
