using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfCompanion.Emulator;
using SfCompanion.Rules;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Benchmarks;

/// <summary>
/// A mirror of 1,000,000 leads, 1,000,000 opportunities, 100,000 accounts and 2,000 users in a SQLite store, as the
/// sync leaves it (one document per record, canonical text values), with the emulator's describes. Written once to
/// a folder under the temp directory and reused by later runs.
/// </summary>
internal sealed class RulesBenchmarkData : IDisposable
{
    public const int Leads = 1_000_000;
    public const int Opportunities = 1_000_000;
    public const int Accounts = 100_000;
    public const int Users = 2_000;

    public static readonly DateOnly Today = new(2026, 6, 15);

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "sfc-rules-bench-v1");

    public static SyncOptions SyncSettings { get; } = new()
    {
        Objects =
        [
            new() { Name = "User", Fields = ["Name", "IsActive"] },
            new() { Name = "Account", Fields = ["Name", "Type", "Industry", "OwnerId"] },
            new() { Name = "Lead", Fields = ["FirstName", "LastName", "Company", "Email", "Industry", "NumberOfEmployees", "AnnualRevenue", "LeadSource", "Status", "OwnerId", "HasOptedOutOfEmail", "ConvertedAccountId", "CreatedDate"] },
            new() { Name = "Opportunity", Fields = ["Name", "AccountId", "Amount", "StageName", "CloseDate", "IsWon", "IsClosed"] },
        ],
    };

    public required IStore Store { get; init; }

    public required Mirror Mirror { get; init; }

    public required ColumnarProjection Projection { get; init; }

    public required RulesService Rules { get; init; }

    public static async Task<RulesBenchmarkData> OpenAsync()
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, "store.db");
        var ready = Path.Combine(Folder, "ready");
        var time = new FixedTime(new DateTimeOffset(Today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        if (!File.Exists(ready))
        {
            File.Delete(path);
        }

        var store = SqliteStore.Open(new SqliteStorageOptions { Path = path }, time);
        var catalog = new SyncObjectCatalog(Options.Create(SyncSettings));
        var mirror = new Mirror(store, catalog);
        if (!File.Exists(ready))
        {
            await GenerateAsync(store, mirror);
            await File.WriteAllTextAsync(ready, "ok");
        }

        var projection = new ColumnarProjection(mirror);
        var rules = new RulesService(projection, store, new SchemaStore(store), catalog, new Outbox(store, time),
            Options.Create(new RulesOptions { TimeBudgetSeconds = 600 }), time, NullLogger<RulesService>.Instance);
        return new RulesBenchmarkData { Store = store, Mirror = mirror, Projection = projection, Rules = rules };
    }

    private static async Task GenerateAsync(IStore store, Mirror mirror)
    {
        await using (var org = await SalesforceEmulator.StartAsync(new EmulatorOptions { MaxApiVersion = 66 }, CancellationToken.None))
        await using (var connection = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = org.BaseUrl, AuthFlow = SalesforceAuthFlow.ClientCredentials, ClientId = org.ClientId, ClientSecret = org.ClientSecret, ApiVersion = "66.0",
        }))
        {
            var schemas = new SchemaStore(store);
            foreach (var sobject in new[] { "User", "Account", "Lead", "Opportunity" })
            {
                await schemas.SaveAsync(await connection.Client.DescribeAsync(sobject));
            }
        }

        var random = new Random(42);
        string[] industries = ["Technology", "Finance", "Banking", "Retail", "Manufacturing", "Healthcare", "Energy", "Education"];
        string[] types = ["Customer - Direct", "Customer - Channel", "Channel Partner / Reseller", "Prospect", "Other"];
        await WriteAsync(mirror, "User", Users, i => new()
        {
            ["Id"] = Id("005", i), ["Name"] = "User " + i, ["IsActive"] = i % 10 == 0 ? "false" : "true",
        });
        await WriteAsync(mirror, "Account", Accounts, i => new()
        {
            ["Id"] = Id("001", i), ["Name"] = "Société " + i, ["Type"] = types[random.Next(types.Length)],
            ["Industry"] = industries[random.Next(industries.Length)], ["OwnerId"] = Id("005", random.Next(Users)),
        });
        await WriteAsync(mirror, "Lead", Leads, i => new()
        {
            ["Id"] = Id("00Q", i), ["FirstName"] = "Camille", ["LastName"] = "Martin " + i, ["Company"] = "Société " + (i % 50_000),
            ["Email"] = $"camille.martin{i}@exemple.fr", ["Industry"] = industries[random.Next(industries.Length)],
            ["NumberOfEmployees"] = random.Next(1, 5_000).ToString(CultureInfo.InvariantCulture),
            ["AnnualRevenue"] = (random.Next(1, 2_000) * 10_000).ToString(CultureInfo.InvariantCulture),
            ["LeadSource"] = "Web", ["Status"] = "Open - Not Contacted", ["OwnerId"] = Id("005", random.Next(Users)),
            ["HasOptedOutOfEmail"] = random.Next(20) == 0 ? "true" : "false",
            ["ConvertedAccountId"] = random.Next(3) == 0 ? Id("001", random.Next(Accounts)) : null,
            ["CreatedDate"] = SalesforceDateTime.Format(new DateTimeOffset(Today.AddDays(-random.Next(1_500)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        });
        await WriteAsync(mirror, "Opportunity", Opportunities, i =>
        {
            var won = random.Next(3) == 0;
            var closed = won || random.Next(2) == 0;
            return new()
            {
                ["Id"] = Id("006", i), ["Name"] = "Affaire " + i, ["AccountId"] = Id("001", random.Next(Accounts)),
                ["Amount"] = (random.Next(1, 500) * 100).ToString(CultureInfo.InvariantCulture),
                ["StageName"] = won ? "Closed Won" : closed ? "Closed Lost" : "Prospecting",
                ["CloseDate"] = SalesforceDateTime.Format(Today.AddDays(-random.Next(1_500))),
                ["IsWon"] = won ? "true" : "false", ["IsClosed"] = closed ? "true" : "false",
            };
        });
    }

    private static async Task WriteAsync(Mirror mirror, string sobject, int count, Func<int, Dictionary<string, string?>> make)
    {
        var batch = new List<MirrorRecord>(5_000);
        for (var i = 0; i < count; i++)
        {
            var fields = make(i);
            batch.Add(new MirrorRecord(sobject, fields["Id"]!, fields));
            if (batch.Count == 5_000)
            {
                await mirror.PutAsync(sobject, batch);
                batch.Clear();
            }
        }

        await mirror.PutAsync(sobject, batch);
    }

    public static string Id(string prefix, int i) => prefix + i.ToString("D12", CultureInfo.InvariantCulture) + "AAA";

    public void Dispose()
    {
        Projection.Dispose();
        ((IDisposable)Store).Dispose();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
