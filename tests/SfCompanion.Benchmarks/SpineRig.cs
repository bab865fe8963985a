using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SfCompanion.Emulator;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Benchmarks;

/// <summary>
/// The data path without a host, as the service wires it: an emulated org on a free port with 50–150 ms latency
/// per call, the real client with its default settings, a SQLite store file (default settings, fsync per commit),
/// and the sync, outbox and writeback services.
/// </summary>
internal sealed class SpineRig : IAsyncDisposable
{
    public const int LatencyMinMs = 50;
    public const int LatencyMaxMs = 150;

    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-bench-spine-").FullName;
    private SalesforceConnection _connection = null!;
    private int _storeNumber;

    private SpineRig(SalesforceEmulator org, SyncOptions sync, WritebackOptions writeback)
    {
        Org = org;
        SyncSettings = sync;
        WritebackSettings = writeback;
    }

    public SalesforceEmulator Org { get; }

    public SyncOptions SyncSettings { get; }

    public WritebackOptions WritebackSettings { get; }

    public IStore Store { get; private set; } = null!;

    public ISalesforceClient Client => _connection.Client;

    public Mirror Mirror { get; private set; } = null!;

    public SyncService Sync { get; private set; } = null!;

    public Outbox Outbox { get; private set; } = null!;

    public WritebackService Writeback { get; private set; } = null!;

    /// <summary>Calls the emulated org counted against its daily allowance so far.</summary>
    public int OrgApiCalls => Org.Limits.ApiCallsUsed;

    /// <summary>
    /// Starts the org. The generator stamps every record with the time it ran, all within a few seconds; with
    /// <paramref name="historicalStamps"/> the org's clock starts 400 days back and moves one second per reading
    /// while it generates, so the stamps spread over days like an org's history and only later changes (and the
    /// last few generated records) fall inside the sync's overlap window, as in a real org.
    /// </summary>
    public static async Task<SpineRig> StartAsync(int leads, SyncOptions sync, WritebackOptions writeback, CancellationToken cancellationToken, bool historicalStamps = true)
    {
        var clock = new HistoryClock { Replaying = historicalStamps };
        var org = await SalesforceEmulator.StartAsync(new EmulatorOptions
        {
            DemoLeads = leads,
            Seed = 42,
            MaxApiVersion = 66,
            LatencyMinMs = LatencyMinMs,
            LatencyMaxMs = LatencyMaxMs,
            DailyApiRequestLimit = 100_000_000,
            TimeProvider = clock,
        }, cancellationToken);
        clock.Replaying = false;
        var rig = new SpineRig(org, sync, writeback);
        rig.OpenFreshStore();
        return rig;
    }

    /// <summary>Only the Lead object, with its default fields plus <paramref name="extraFields"/>.</summary>
    public static SyncOptions LeadsOnly(params string[] extraFields)
    {
        var lead = SyncObjectCatalog.Defaults().Single(o => o.Name == "Lead");
        lead.Fields.AddRange(extraFields);
        return new SyncOptions { Objects = [lead] };
    }

    /// <summary>Closes the current store and client and starts over with an empty store file and a new client.</summary>
    public void OpenFreshStore()
    {
        CloseStore();
        _storeNumber++;
        Store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, $"store-{_storeNumber}.db") }, TimeProvider.System);
        _connection = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = Org.BaseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = Org.ClientId,
            ClientSecret = Org.ClientSecret,
            ApiVersion = "66.0",
        });
        var catalog = new SyncObjectCatalog(Options.Create(SyncSettings));
        Mirror = new Mirror(Store, catalog);
        Sync = new SyncService(Client, Mirror, new SyncStateStore(Store), new SchemaStore(Store), catalog, Options.Create(SyncSettings), TimeProvider.System, NullLogger<SyncService>.Instance);
        Outbox = new Outbox(Store, TimeProvider.System);
        Writeback = new WritebackService(Client, Outbox, Mirror, Options.Create(WritebackSettings), TimeProvider.System, NullLogger<WritebackService>.Instance);
    }

    private void CloseStore()
    {
        if (Store is null)
        {
            return;
        }

        _connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        ((IDisposable)Store).Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_directory))
        {
            File.Delete(file);
        }
    }

    /// <summary>Ids of the live leads, in the org's order, read directly (no API call).</summary>
    public List<string> LeadIds() => [.. Org.Data.Query("SELECT Id FROM Lead").Select(r => (string)r["Id"]!)];

    public async ValueTask DisposeAsync()
    {
        CloseStore();
        await Org.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>While <see cref="Replaying"/>, a clock 400 days back that moves one second per reading; then the system clock.</summary>
internal sealed class HistoryClock : TimeProvider
{
    private readonly DateTimeOffset _origin = System.GetUtcNow() - TimeSpan.FromDays(400);
    private long _readings;

    public bool Replaying { get; set; }

    public override DateTimeOffset GetUtcNow() =>
        Replaying ? _origin + TimeSpan.FromSeconds(Interlocked.Increment(ref _readings)) : System.GetUtcNow();
}

/// <summary>
/// Samples the process's working set and managed heap on its own thread while a measured operation runs, so the
/// peak of that operation can be told apart from the org generated beforehand in the same process.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    private MemorySampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "memory-sampler" };
    }

    public long PeakWorkingSet { get; private set; }

    public long PeakManagedHeap { get; private set; }

    /// <summary>Compacts the heap, then records the working set and live managed heap as the baseline.</summary>
    public static (long WorkingSet, long ManagedHeap) Baseline()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    public static MemorySampler Start()
    {
        var sampler = new MemorySampler();
        sampler._thread.Start();
        return sampler;
    }

    private void Run()
    {
        using var process = Process.GetCurrentProcess();
        while (!_stop)
        {
            Sample(process);
            Thread.Sleep(50);
        }

        Sample(process);
    }

    private void Sample(Process process)
    {
        process.Refresh();
        PeakWorkingSet = Math.Max(PeakWorkingSet, process.WorkingSet64);
        PeakManagedHeap = Math.Max(PeakManagedHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}

/// <summary>Figures printed from inside the benchmarks (BenchmarkDotNet only times them); grep the log for "SPINE |".</summary>
internal static class SpineReport
{
    public static void Line(string text) => Console.WriteLine("SPINE | " + text);

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Calls(IReadOnlyDictionary<string, long> byOperation) =>
        string.Join(", ", byOperation.Where(kv => kv.Key != SalesforceOperations.AuthToken).Select(kv => $"{kv.Key}={kv.Value}"));

    public static void ProcessPeak()
    {
        using var process = Process.GetCurrentProcess();
        Line($"process peak working set (whole life, org generation included) {Mib(process.PeakWorkingSet64)}; GC heap now {Mib(GC.GetGCMemoryInfo().HeapSizeBytes)}");
    }
}

/// <summary>
/// The emulated org in a process of its own (the emulator's standalone entry point), so that the benchmark
/// process holds only what the service holds: the client, the sync and the SQLite mirror.
/// </summary>
internal sealed class SpineSeparateOrg : IDisposable
{
    private readonly Process _process;

    private SpineSeparateOrg(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static SpineSeparateOrg Start(int leads, int latencyMinMs = SpineRig.LatencyMinMs, int latencyMaxMs = SpineRig.LatencyMaxMs)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "exec", typeof(SalesforceEmulator).Assembly.Location, "--urls", baseUrl, "--leads", leads.ToString(CultureInfo.InvariantCulture),
            "--seed", "42", "--latency-ms", $"{latencyMinMs}-{latencyMaxMs}", "--api-limit", "100000000",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator process did not start.");
        // The emulator prints its address once the org is generated and it listens.
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.Contains("listening on", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new SpineSeparateOrg(process, baseUrl);
            }
        }

        throw new InvalidOperationException($"The emulator process exited before listening (exit code {process.ExitCode}).");
    }

    /// <summary>Peak working set of the emulator process so far (VmHWM on Linux).</summary>
    public long PeakWorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
