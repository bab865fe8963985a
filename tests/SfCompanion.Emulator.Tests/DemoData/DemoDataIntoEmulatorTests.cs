using SfCompanion.Emulator.DemoData;

namespace SfCompanion.Emulator.Tests.DemoData;

/// <summary>The generated records are accepted by the emulated org as they are: field names, types, lengths and picklists.</summary>
public sealed class DemoDataIntoEmulatorTests
{
    [Fact]
    public async Task Generate_IntoTheEmulatedOrg_StoresEveryRecord()
    {
        await using var emulator = await SalesforceEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        var usersBefore = emulator.Data.Count("User");
        var sink = new TeeSink(emulator.Data);

        var summary = DemoDataGenerator.Generate(sink, new DemoDataOptions { Leads = 1_000, Now = GeneratedOrgFixture.Now });

        foreach (var (type, count) in summary.CountsByObject)
        {
            Assert.Equal(count + (type == "User" ? usersBefore : 0), emulator.Data.Count(type));
        }

        Assert.All(sink.Inserted, r => Assert.NotNull(emulator.Data.Get(r.Id)));
    }

    [Fact]
    public async Task Generate_IntoTheEmulatedOrg_FeedsRollupsAndActivityDates()
    {
        await using var emulator = await SalesforceEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);
        var sink = new TeeSink(emulator.Data);

        DemoDataGenerator.Generate(sink, new DemoDataOptions { Leads = 1_000, Now = GeneratedOrgFixture.Now });

        var campaigns = sink.Inserted.Where(r => r.Type == "Campaign").Select(r => emulator.Data.Get(r.Id)!).ToList();
        Assert.Contains(campaigns, c => c["NumberOfLeads"] is > 0);
        Assert.Contains(campaigns, c => c["NumberOfResponses"] is > 0);
        Assert.Contains(campaigns, c => c["NumberOfWonOpportunities"] is > 0);
        var leads = sink.Inserted.Where(r => r.Type == "Lead").Select(r => emulator.Data.Get(r.Id)!).ToList();
        Assert.Contains(leads, l => l["LastActivityDate"] is DateOnly);
        Assert.Contains(leads, l => l["LastActivityDate"] is null);
    }

    /// <summary>Passes records on to the org and remembers the Ids it returned.</summary>
    private sealed class TeeSink(IDemoDataSink inner) : IDemoDataSink
    {
        public List<(string Type, string Id)> Inserted { get; } = [];

        public string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields)
        {
            var id = inner.Insert(sobjectType, fields);
            Inserted.Add((sobjectType, id));
            return id;
        }
    }
}
