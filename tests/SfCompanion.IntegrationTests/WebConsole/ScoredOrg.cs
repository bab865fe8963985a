using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rotation;
using SfCompanion.Scoring;
using SfCompanion.Sync;
using static SfCompanion.IntegrationTests.WebConsole.ConsoleBrowser;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// A console host on an emulated org with 150 leads (100 software publishers), three active reps and one on leave,
/// synced; the routine <c>software-publishers</c> saved and run, and the pool <c>north</c> saved (every day, all day,
/// so the tests do not depend on when they run) with one round run when asked.
/// </summary>
internal sealed record ScoredOrg(SfcTestHost Host, string A, string B, string C, string OnLeave)
{
    public const string Routine = "software-publishers";
    public const string Pool = "north";

    public static RoutineDefinition Publishers { get; } = new()
    {
        Name = Routine,
        Object = "Lead",
        Mandatory = [new() { Name = "publisher", Formula = "ISPICKVAL(Industry, 'Technology')" }],
        Weighted =
        [
            new() { Name = "size", Formula = "NumberOfEmployees >= 100", Weight = 3 },
            new() { Name = "revenue", Formula = "AnnualRevenue / 10000000", Weight = 2 },
        ],
    };

    public static async Task<ScoredOrg> StartAsync(bool runRound)
    {
        var host = await new SfcTestHost().WithKestrel().WithEmulator().StartAsync();
        var org = host.Emulator;
        string User(string name) => org.Data.Insert("User", new Dictionary<string, object?>
        {
            ["Username"] = name + "@exemple.fr", ["FirstName"] = name, ["LastName"] = "Commercial", ["Email"] = name + "@exemple.fr", ["IsActive"] = true, ["Alias"] = name,
        });
        var (a, b, c, leave) = (User("alice"), User("bruno"), User("chloe"), User("denis"));
        for (var i = 0; i < 150; i++)
        {
            org.Data.Insert("Lead", new Dictionary<string, object?>
            {
                ["LastName"] = "Martin " + i, ["Company"] = "Éditeur " + i, ["Industry"] = i < 100 ? "Technology" : "Retail",
                ["NumberOfEmployees"] = i % 2 == 0 ? 200 : 10, ["AnnualRevenue"] = i % 4 == 0 ? 5_000_000 : i * 10_000,
                ["Status"] = i % 10 == 0 ? "Working - Contacted" : "Open - Not Contacted", ["Email"] = $"l{i}@exemple.fr",
            });
        }

        await host.Get<SyncService>().SyncAllAsync(cancellationToken: Ct);
        var scoring = host.Get<ScoringService>();
        var (routine, problems) = await scoring.SaveAsync(Publishers, "setup", Ct);
        Assert.True(routine is not null, string.Join(Environment.NewLine, problems));
        await scoring.RunAsync(routine, Ct);

        var rotation = host.Get<RotationService>();
        var (pool, poolProblems) = await rotation.SaveAsync(new RotationPool
        {
            Name = Pool,
            Routine = Routine,
            Reps = [new PoolRep { UserId = a, Weight = 2 }, new PoolRep { UserId = b }, new PoolRep { UserId = c, DailyCap = 5 }, new PoolRep { UserId = leave, OnLeave = true }],
            WorkingDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            DayStart = "00:00",
            DayEnd = "23:59",
            MaxPerRun = 20,
        }, "setup", Ct);
        Assert.True(pool is not null, string.Join(Environment.NewLine, poolProblems));
        if (runRound)
        {
            var run = await rotation.RunAsync(pool, "setup", Ct);
            Assert.True(run.Assigned > 0, run.Message);
        }

        return new ScoredOrg(host, a, b, c, leave);
    }
}
