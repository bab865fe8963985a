using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rotation;
using SfCompanion.Scoring;
using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Rotation;

/// <summary><c>/api/rotation</c> over HTTP: who may do what, problems naming the pool and the item, run, preview, reassign, audit.</summary>
public sealed class RotationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Viewers_read_marketers_preview_admins_save_run_and_reassign_and_bad_pools_are_problems()
    {
        await using var host = await new SfcTestHost().WithEmulator().StartAsync();
        var data = host.Emulator.Data;
        string User(string name) => data.Insert("User", new Dictionary<string, object?> { ["Username"] = name + "@exemple.fr", ["LastName"] = name, ["Email"] = name + "@exemple.fr", ["IsActive"] = true, ["Alias"] = name });
        var (a, b) = (User("alice"), User("bruno"));
        for (var i = 0; i < 12; i++)
        {
            data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = "L" + i, ["Company"] = "C" + i, ["Industry"] = "Technology", ["NumberOfEmployees"] = 10 * i, ["Status"] = "Open - Not Contacted" });
        }

        await host.Get<SyncService>().SyncAllAsync(cancellationToken: Ct);
        var scoring = host.Get<ScoringService>();
        var (routine, problems) = await scoring.SaveAsync(new RoutineDefinition
        {
            Name = "tech", Object = "Lead",
            Mandatory = [new() { Name = "tech", Formula = "ISPICKVAL(Industry, 'Technology')" }],
            Weighted = [new() { Name = "size", Formula = "NumberOfEmployees / 110", Weight = 1 }],
        }, "setup", Ct);
        Assert.True(routine is not null, string.Join(" ", problems));
        await scoring.RunAsync(routine, Ct);

        var viewer = await host.ClientAsync(SfcRoles.Viewer);
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var pool = new
        {
            routine = "tech",
            reps = new object[] { new { userId = a, weight = 1 }, new { userId = b, weight = 1 } },
            workingDays = new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" },
            dayStart = "00:00",
            dayEnd = "23:59",
        };

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("/api/rotation/pools", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/rotation/pools/north", pool, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PutAsJsonAsync("/api/rotation/pools/north", pool, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/rotation/preview", new { pool = "north" }, Ct)).StatusCode);

        var bad = await host.Admin.PutAsJsonAsync("/api/rotation/pools/north", pool with { reps = [new { userId = a, weight = 0 }] }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        using (var json = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct)))
        {
            var problem = json.RootElement.GetProperty("problems")[0];
            Assert.Equal("north", problem.GetProperty("rule").GetString());
            Assert.Equal($"reps[0] {a}", problem.GetProperty("part").GetString());
            Assert.Contains("more than 0", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.Admin.PutAsJsonAsync("/api/rotation/pools/north", pool, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rotation/pools/north", Ct)).StatusCode);
        var preview = await marketer.PostAsJsonAsync("/api/rotation/preview", new { pool = "north" }, Ct);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewed = (await preview.Content.ReadFromJsonAsync<RotationRunResult>(Ct))!;
        Assert.Equal((RotationStatuses.Preview, 12, 6, 6), (previewed.Status, previewed.Assignments.Count, previewed.PerRep[a], previewed.PerRep[b]));
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.PostAsync("/api/rotation/pools/north/run", null, Ct)).StatusCode);

        var run = await host.Admin.PostAsync("/api/rotation/pools/north/run", null, Ct);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.Equal(12, (await run.Content.ReadFromJsonAsync<RotationRunResult>(Ct))!.Assigned);

        var reassign = await host.Admin.PostAsJsonAsync("/api/rotation/pools/north/reassign", new { from = a, markOnLeave = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, reassign.StatusCode);
        var moved = (await reassign.Content.ReadFromJsonAsync<RotationRunResult>(Ct))!;
        Assert.Equal((6, 6), (moved.Assigned, moved.PerRep[b]));
        var unknownRep = await host.Admin.PostAsJsonAsync("/api/rotation/pools/north/reassign", new { from = "005000000000000XYZ" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknownRep.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.PostAsync("/api/rotation/pools/south/run", null, Ct)).StatusCode);

        var audit = (await viewer.GetFromJsonAsync<List<JsonElement>>("/api/rotation/audit?limit=1000", Ct))!;
        Assert.Equal(12, audit.Count(e => e.GetProperty("action").GetString() == "assign"));
        Assert.Equal(6, audit.Count(e => e.GetProperty("action").GetString() == "reassign"));
        var last = audit[^1].GetProperty("sequence").GetInt64();
        Assert.Empty((await viewer.GetFromJsonAsync<List<JsonElement>>($"/api/rotation/audit?after={last}", Ct))!);
    }
}
