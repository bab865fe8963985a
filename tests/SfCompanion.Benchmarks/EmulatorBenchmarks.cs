using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using SfCompanion.Emulator;
using SfCompanion.Salesforce;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Starting an emulated org with generated demo data (seed 42): leads plus their accounts, contacts, campaigns,
/// members, opportunities and tasks. Goal at 1,000,000 leads: under 60 s and under 4 GiB. Runs once per size in a
/// fresh process, so the process's peak working set is the generation's; figures are printed ("SFBENCH |").
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1, invocationCount: 1)]
public class EmulatorGenerationBenchmarks
{
    private static readonly string[] Objects = ["User", "Account", "Campaign", "CampaignMemberStatus", "Lead", "Contact", "CampaignMember", "Opportunity", "Task"];

    private SalesforceEmulator? _org;
    private MemorySampler? _sampler;
    private (long WorkingSet, long ManagedHeap) _baseline;
    private long _started;

    [Params(100_000, 1_000_000)]
    public int Leads { get; set; }

    [IterationSetup]
    public void IterationSetup()
    {
        _baseline = MemorySampler.Baseline();
        _sampler = MemorySampler.Start();
        _started = Stopwatch.GetTimestamp();
    }

    [Benchmark]
    public async Task GenerateOrgAsync() =>
        _org = await SalesforceEmulator.StartAsync(new EmulatorOptions { DemoLeads = Leads, Seed = 42 }, CancellationToken.None);

    [IterationCleanup]
    public void IterationCleanup()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        _sampler!.Dispose();
        var counts = Objects.Select(o => (Name: o, Count: _org!.Data.Count(o))).ToList();
        var retained = MemorySampler.Baseline();
        SalesforceBenchReport.Line($"org of {Leads:N0} leads started in {elapsed.TotalSeconds:F1} s: {counts.Sum(c => c.Count):N0} records ({string.Join(", ", counts.Select(c => $"{c.Name} {c.Count:N0}"))})");
        SalesforceBenchReport.Line($"baseline before generation: working set {SalesforceBenchReport.Mib(_baseline.WorkingSet)}, managed heap {SalesforceBenchReport.Mib(_baseline.ManagedHeap)}; "
            + $"peak while generating: working set {SalesforceBenchReport.Mib(_sampler.PeakWorkingSet)}, managed heap {SalesforceBenchReport.Mib(_sampler.PeakManagedHeap)}; "
            + $"retained after full GC: working set {SalesforceBenchReport.Mib(retained.WorkingSet)}, managed heap {SalesforceBenchReport.Mib(retained.ManagedHeap)}");
        SalesforceBenchReport.ProcessPeak();
        _org!.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>
/// Queries against a 1,000,000-lead emulated org over real HTTP (a local port, no injected latency) through the
/// SfCompanion.Salesforce client with its default settings: a selective WHERE, a WHERE that matches many pages,
/// COUNT() with and without filters, REST paging through 100,000 records (2,000 per page) and a Bulk API 2.0 query of
/// every lead. The org lives in the benchmark's process, so memory is reported as the peak over the baseline measured
/// after generation. Prints records, API calls by operation and memory per iteration ("SFBENCH |").
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class EmulatorQueryBenchmarks
{
    private const int Leads = 1_000_000;

    private SalesforceEmulator _org = null!;
    private SalesforceConnection _connection = null!;
    private string _email = "";
    private MemorySampler? _sampler;
    private (long WorkingSet, long ManagedHeap) _baseline;
    private IReadOnlyDictionary<string, long> _callsBefore = new Dictionary<string, long>();
    private int _orgCallsBefore;
    private long _records;
    private int _iteration;

    private ISalesforceClient Client => _connection.Client;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var started = Stopwatch.GetTimestamp();
        _org = await SalesforceEmulator.StartAsync(new EmulatorOptions { DemoLeads = Leads, Seed = 42, MaxApiVersion = 66, DailyApiRequestLimit = 100_000_000 }, CancellationToken.None);
        SalesforceBenchReport.Line($"org of {_org.Data.Count("Lead"):N0} leads generated in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        // The lead generated last: a scan in insertion order reaches it at the very end.
        _email = (string)_org.Data.Query("SELECT Email FROM Lead WHERE Email != null ORDER BY Id DESC LIMIT 1")[0]["Email"]!;
        _connection = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = _org.BaseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = _org.ClientId,
            ClientSecret = _org.ClientSecret,
            ApiVersion = "66.0",
        });
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _iteration++;
        _baseline = MemorySampler.Baseline();
        _callsBefore = Client.Calls.Snapshot();
        _orgCallsBefore = _org.Limits.ApiCallsUsed;
        _records = 0;
        _sampler = MemorySampler.Start();
    }

    /// <summary>One lead by e-mail address (the emulator has no index: a full scan of 1,000,000 leads).</summary>
    [Benchmark]
    public Task WhereEmailAsync() => StreamAsync($"SELECT {SalesforceLeadPages.FieldList} FROM Lead WHERE Email = '{_email}'");

    /// <summary>A filter on two picklist-like fields that matches tens of thousands of leads, read page by page.</summary>
    [Benchmark]
    public Task WhereCityAndStatusAsync() =>
        StreamAsync($"SELECT {SalesforceLeadPages.FieldList} FROM Lead WHERE City = 'Lyon' AND Status = 'Open - Not Contacted'");

    [Benchmark]
    public async Task CountAllAsync() => _records = await Client.CountAsync("SELECT COUNT() FROM Lead");

    [Benchmark]
    public async Task CountFilteredAsync() =>
        _records = await Client.CountAsync("SELECT COUNT() FROM Lead WHERE HasOptedOutOfEmail = false AND Status IN ('Open - Not Contacted', 'Working - Contacted') AND CreatedDate = LAST_N_DAYS:365");

    /// <summary>100,000 leads with 26 fields (one a parent path) through <c>query</c> and <c>queryMore</c>, 2,000 per page.</summary>
    [Benchmark]
    public Task Page100kAsync() => StreamAsync($"SELECT {SalesforceLeadPages.FieldList} FROM Lead LIMIT 100000");

    /// <summary>Every lead (8 fields) through one Bulk API 2.0 query job, result pages of the org's default 100,000 rows.</summary>
    [Benchmark]
    public async Task BulkQueryAllAsync()
    {
        await foreach (var lead in Client.BulkQueryAsync("SELECT Id, FirstName, LastName, Email, Company, City, Status, SystemModstamp FROM Lead"))
        {
            if (lead.Id is null)
            {
                throw new InvalidOperationException("A bulk result row had no Id.");
            }

            _records++;
        }
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _sampler!.Dispose();
        var calls = Client.Calls.Snapshot()
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value - _callsBefore.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value > 0)
            .ToDictionary();
        SalesforceBenchReport.Line($"iteration {_iteration}: {_records:N0} records (or count); API calls {calls.Where(kv => kv.Key != SalesforceOperations.AuthToken).Sum(kv => kv.Value)} "
            + $"({SalesforceBenchReport.Calls(calls)}), org counted {_org.Limits.ApiCallsUsed - _orgCallsBefore}; "
            + $"peak working set {SalesforceBenchReport.Mib(_sampler.PeakWorkingSet)} (+{SalesforceBenchReport.Mib(_sampler.PeakWorkingSet - _baseline.WorkingSet)} over the org's baseline), "
            + $"managed heap {SalesforceBenchReport.Mib(_sampler.PeakManagedHeap)} (+{SalesforceBenchReport.Mib(_sampler.PeakManagedHeap - _baseline.ManagedHeap)})");
        if (_records == 0)
        {
            throw new InvalidOperationException("The query returned nothing.");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        SalesforceBenchReport.ProcessPeak();
        await _connection.DisposeAsync();
        await _org.DisposeAsync();
    }

    private async Task StreamAsync(string soql)
    {
        await foreach (var lead in Client.QueryAsync(soql))
        {
            if (lead.Id is null)
            {
                throw new InvalidOperationException("A record had no Id.");
            }

            _records++;
        }
    }
}
