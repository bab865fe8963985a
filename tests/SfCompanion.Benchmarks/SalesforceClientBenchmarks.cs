using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SfCompanion.Emulator;
using SfCompanion.Salesforce;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Parsing one 2,000-record Lead query page (26 fields, a parent relationship, date-times, nulls, booleans, numbers)
/// from a stream, as the client does for every page it receives. One operation is one record, so
/// records/s = 1 s / Mean and the allocation is per record.
/// </summary>
[MemoryDiagnoser]
public class QueryPageParsingBenchmarks
{
    public const int RecordsPerPage = 2_000;

    private byte[] _page = [];

    [GlobalSetup]
    public void Setup()
    {
        _page = SalesforceLeadPages.Build(RecordsPerPage, totalSize: 1_000_000, done: false, seed: 42);
        var check = QueryPageParser.Parse(new MemoryStream(_page, writable: false));
        if (check.Records.Count != RecordsPerPage || check.Records[0]["Owner.Name"] is not string)
        {
            throw new InvalidOperationException("The generated page did not parse into 2,000 leads with their owner's name.");
        }

        SalesforceBenchReport.Line($"query page: {RecordsPerPage:N0} leads, {_page.Length:N0} bytes ({_page.Length / RecordsPerPage:N0} bytes per record)");
    }

    /// <summary>The path <c>QueryAsync</c> takes: field bags read asynchronously from the response stream.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RecordsPerPage)]
    public async Task<int> FieldBagsFromStreamAsync()
    {
        var page = await QueryPageParser.ParseAsync<SObjectRecord>(new MemoryStream(_page, writable: false));
        return page.Records.Count;
    }

    [Benchmark(OperationsPerInvoke = RecordsPerPage)]
    public int FieldBagsFromStream() => QueryPageParser.Parse(new MemoryStream(_page, writable: false)).Records.Count;

    /// <summary>The path <c>QueryAsync&lt;T&gt;</c> takes: records bound to a typed class.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerPage)]
    public async Task<int> TypedRecordsFromStreamAsync()
    {
        var page = await QueryPageParser.ParseAsync<SalesforceLeadRow>(new MemoryStream(_page, writable: false));
        return page.Records.Count;
    }
}

/// <summary>
/// Streams 1,000,000 Lead records through <c>ISalesforceClient.QueryAsync</c> (500 pages of 2,000) and reports the
/// process's memory at 100,000, 500,000 and 1,000,000 records: it must stay flat because only one page is held at a
/// time. <c>in-memory</c>: the same page served by an in-memory handler (no server, no sockets), so the process holds
/// nothing but the client. <c>emulator-process</c>: a 1,000,000-lead emulated org in a process of its own, over real
/// HTTP with 50–150 ms latency per call. Runs once; figures are printed (grep the log for "SFBENCH |").
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class QueryStreamingMemoryBenchmarks
{
    private const int Records = 1_000_000;
    private static readonly int[] Checkpoints = [100_000, 500_000, 1_000_000];

    private SalesforceQueryPagesHandler? _handler;
    private SpineSeparateOrg? _org;
    private SalesforceConnection _connection = null!;
    private MemorySampler? _sampler;
    private long _streamed;

    [Params("in-memory", "emulator-process")]
    public string Source { get; set; } = "in-memory";

    [GlobalSetup]
    public void Setup()
    {
        var options = new SalesforceOptions
        {
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ApiVersion = "66.0",
        };
        if (Source == "in-memory")
        {
            var pages = Records / QueryPageParsingBenchmarks.RecordsPerPage;
            _handler = new SalesforceQueryPagesHandler(
                SalesforceLeadPages.Build(QueryPageParsingBenchmarks.RecordsPerPage, Records, done: false, seed: 42),
                SalesforceLeadPages.Build(QueryPageParsingBenchmarks.RecordsPerPage, Records, done: true, seed: 42),
                pages);
            options.LoginUrl = SalesforceQueryPagesHandler.InstanceUrl;
            options.ClientId = "bench-client";
            options.ClientSecret = "bench-secret";
            _connection = SalesforceClientFactory.Create(options, _handler);
        }
        else
        {
            var started = Stopwatch.GetTimestamp();
            _org = SpineSeparateOrg.Start(Records);
            SalesforceBenchReport.Line($"emulator process with {Records:N0} leads listening after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
            options.LoginUrl = _org.BaseUrl;
            options.ClientId = EmulatorOptions.DefaultClientId;
            options.ClientSecret = EmulatorOptions.DefaultClientSecret;
            _connection = SalesforceClientFactory.Create(options);
        }
    }

    [IterationSetup]
    public void IterationSetup()
    {
        var baseline = MemorySampler.Baseline();
        SalesforceBenchReport.Line($"{Source}: before streaming, working set {SalesforceBenchReport.Mib(baseline.WorkingSet)}, managed heap {SalesforceBenchReport.Mib(baseline.ManagedHeap)}");
        _sampler = MemorySampler.Start();
    }

    [Benchmark]
    public async Task Stream1MRecordsAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        long checksum = 0;
        var next = 0;
        _streamed = 0;
        await foreach (var lead in _connection.Client.QueryAsync($"SELECT {SalesforceLeadPages.FieldList} FROM Lead"))
        {
            checksum += lead.Id!.Length + (lead.GetString("Owner.Name")?.Length ?? 0);
            _streamed++;
            if (next < Checkpoints.Length && _streamed == Checkpoints[next])
            {
                next++;
                Checkpoint(started, allocatedBefore);
            }
        }

        if (_streamed != Records || checksum == 0)
        {
            throw new InvalidOperationException($"Streamed {_streamed:N0} records instead of {Records:N0}.");
        }
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _sampler!.Dispose();
        SalesforceBenchReport.Line($"{Source}: {_streamed:N0} records in {_connection.Client.Calls.ApiCalls:N0} API calls ({SalesforceBenchReport.Calls(_connection.Client.Calls.Snapshot())}); "
            + $"peak during streaming: working set {SalesforceBenchReport.Mib(_sampler.PeakWorkingSet)}, managed heap {SalesforceBenchReport.Mib(_sampler.PeakManagedHeap)}");
        if (_org is not null)
        {
            SalesforceBenchReport.Line($"{Source}: emulator process peak working set {SalesforceBenchReport.Mib(_org.PeakWorkingSet)}");
        }

        SalesforceBenchReport.ProcessPeak();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.DisposeAsync();
        _handler?.Dispose();
        _org?.Dispose();
    }

    private void Checkpoint(long started, long allocatedBefore)
    {
        using var process = Process.GetCurrentProcess();
        var heapBeforeCollection = GC.GetTotalMemory(forceFullCollection: false);
        var live = GC.GetTotalMemory(forceFullCollection: true);
        SalesforceBenchReport.Line($"{Source}: {_streamed,9:N0} records after {Stopwatch.GetElapsedTime(started).TotalSeconds,6:F1} s | "
            + $"working set {SalesforceBenchReport.Mib(process.WorkingSet64)} (peak so far {SalesforceBenchReport.Mib(_sampler!.PeakWorkingSet)}) | "
            + $"managed heap {SalesforceBenchReport.Mib(heapBeforeCollection)} (peak so far {SalesforceBenchReport.Mib(_sampler.PeakManagedHeap)}), live after full GC {SalesforceBenchReport.Mib(live)} | "
            + $"allocated so far {SalesforceBenchReport.Mib(GC.GetTotalAllocatedBytes() - allocatedBefore)}");
    }
}

/// <summary>Figures printed from inside the client and emulator benchmarks; grep the log for "SFBENCH |".</summary>
internal static class SalesforceBenchReport
{
    public static void Line(string text) => Console.WriteLine("SFBENCH | " + text);

    public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("N0", CultureInfo.InvariantCulture) + " MiB";

    public static string Calls(IReadOnlyDictionary<string, long> byOperation) =>
        string.Join(", ", byOperation.Where(kv => kv.Key != SalesforceOperations.AuthToken).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    public static void ProcessPeak()
    {
        using var process = Process.GetCurrentProcess();
        Line($"process peak working set over its whole life {Mib(process.PeakWorkingSet64)}; GC heap now {Mib(GC.GetGCMemoryInfo().HeapSizeBytes)}");
    }
}
