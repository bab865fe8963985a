using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.Emulator;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Rules;
using SfCompanion.Rotation;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;
using SfCompanion.Scoring;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Spine;

/// <summary>
/// The data path end to end over real HTTP: an emulated org on a free port, the real client, a real SQLite
/// file, and the sync/outbox/writeback services. <see cref="RestartAsync"/> drops every service and reopens the
/// same store, as a process restart would.
/// <para>
/// Not a host (that is <see cref="SfcTestHost"/>, whose fake clock would be every service's): the services are built
/// by hand so that they run on the fake clock while the client keeps real time for its retries and token.
/// </para>
/// </summary>
public sealed class SpineHarness : IAsyncDisposable
{
    private readonly TestDirectory _directory = new("sfc-spine-");
    private SalesforceConnection _connection = null!;

    private SpineHarness(SalesforceEmulator org, SyncOptions sync, WritebackOptions writeback, SalesforceBudgetOptions? budget, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        Org = org;
        SyncSettings = sync;
        WritebackSettings = writeback;
        Budget = budget;
    }

    public SalesforceEmulator Org { get; }

    /// <summary>The service's clock (the org keeps real time for SystemModstamp, unless started with <c>sharedClock</c>).</summary>
    public FakeTimeProvider Time { get; }

    public SyncOptions SyncSettings { get; }

    public WritebackOptions WritebackSettings { get; }

    public SalesforceBudgetOptions? Budget { get; set; }

    public IStore Store { get; private set; } = null!;

    public ISalesforceClient Client => _connection.Client;

    public Mirror Mirror { get; private set; } = null!;

    public SyncService Sync { get; private set; } = null!;

    public SyncStateStore States { get; private set; } = null!;

    public Outbox Outbox { get; private set; } = null!;

    public WritebackService Writeback { get; private set; } = null!;

    public SyncObjectCatalog Catalog { get; private set; } = null!;

    public ColumnarProjection Projection { get; private set; } = null!;

    public RulesService Rules { get; private set; } = null!;

    public RulesOptions RulesSettings { get; } = new();

    public ScoringService Scoring { get; private set; } = null!;

    public RotationService Rotation { get; private set; } = null!;

    /// <summary>Starts the org and the services; with <paramref name="sharedClock"/> the org stamps records with <see cref="Time"/> too (no Bulk jobs then: their polling waits on it).</summary>
    public static async Task<SpineHarness> StartAsync(int demoLeads = 0, SyncOptions? sync = null, WritebackOptions? writeback = null, int latencyMs = 0, bool sharedClock = false)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var org = await SalesforceEmulator.StartAsync(new EmulatorOptions
        {
            TimeProvider = sharedClock ? clock : TimeProvider.System,
            DemoLeads = demoLeads,
            MaxApiVersion = 66,
            LatencyMinMs = latencyMs,
            LatencyMaxMs = latencyMs,
        }, TestContext.Current.CancellationToken);
        var harness = new SpineHarness(org, sync ?? new SyncOptions(), writeback ?? new WritebackOptions(), null, clock);
        harness.Open();
        return harness;
    }

    private void Open()
    {
        Store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory.Path, "store.db") }, Time);
        var options = new SalesforceOptions
        {
            LoginUrl = Org.BaseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = Org.ClientId,
            ClientSecret = Org.ClientSecret,
            ApiVersion = "66.0",
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            BulkPollInitialDelay = TimeSpan.FromMilliseconds(20),
            BulkPollMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        if (Budget is not null)
        {
            options.Budget = Budget;
        }

        _connection = SalesforceClientFactory.Create(options);
        var catalog = new SyncObjectCatalog(Options.Create(SyncSettings));
        Catalog = catalog;
        Mirror = new Mirror(Store, catalog);
        States = new SyncStateStore(Store);
        Sync = new SyncService(Client, Mirror, States, new SchemaStore(Store), catalog, Options.Create(SyncSettings), Time, NullLogger<SyncService>.Instance);
        Outbox = new Outbox(Store, Time);
        Writeback = new WritebackService(Client, Outbox, Mirror, Options.Create(WritebackSettings), Time, NullLogger<WritebackService>.Instance);
        Projection = new ColumnarProjection(Mirror);
        Rules = new RulesService(Projection, Store, new SchemaStore(Store), catalog, Outbox, Options.Create(RulesSettings), Time, NullLogger<RulesService>.Instance);
        Scoring = new ScoringService(Rules, Store, Store, Outbox, Time, NullLogger<ScoringService>.Instance);
        Rotation = new RotationService(Scoring, Rules, Mirror, Store, Store, Outbox, Time, NullLogger<RotationService>.Instance);
    }

    /// <summary>Drops every service and reopens the same store file, as after a crash and restart.</summary>
    public async Task RestartAsync()
    {
        Rotation.Dispose();
        await _connection.DisposeAsync();
        ((IDisposable)Store).Dispose();
        SqliteConnection.ClearAllPools();
        Open();
    }

    /// <summary>Live records of a type in the org, read without API calls.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> OrgRecords(string soql) => Org.Data.Query(soql);

    public async ValueTask DisposeAsync()
    {
        Rotation.Dispose();
        await _connection.DisposeAsync();
        ((IDisposable)Store).Dispose();
        await Org.DisposeAsync();
        _directory.Dispose();
    }
}
