using System.Diagnostics;
using System.Globalization;
using SfCompanion.Emulator.DemoData;

namespace SfCompanion.Emulator.Tests.DemoData;

/// <summary>
/// Hand-run measurements of a full-size generation (not part of the suite: no timing assertions there).
/// Run: dotnet test tests/SfCompanion.Emulator.Tests -c Release -- --filter-class "*DemoDataMeasurement" --explicit only
/// </summary>
public sealed class DemoDataMeasurement
{
    [Fact(Explicit = true)]
    public void OneMillionLeads_IntoACopyingSink()
    {
        var sink = new CopyingSink();

        var summary = Measure(sink, 1_000_000);

        Assert.Equal(summary.Total, sink.Count);
    }

    [Fact(Explicit = true)]
    public async Task OneMillionLeads_IntoTheEmulatedOrg()
    {
        await using var emulator = await SalesforceEmulator.StartAsync(new EmulatorOptions(), TestContext.Current.CancellationToken);

        var summary = Measure(emulator.Data, 1_000_000);

        Assert.Equal(summary.Leads, emulator.Data.Count("Lead"));
    }

    internal static DemoDataSummary Measure(IDemoDataSink sink, int leads)
    {
        var options = new DemoDataOptions { Leads = leads, Seed = 42, Now = new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero) };
        var output = TestContext.Current.TestOutputHelper;
        var stopwatch = Stopwatch.StartNew();
        var summary = DemoDataGenerator.Generate(sink, options);
        stopwatch.Stop();

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        output?.WriteLine($"{leads:N0} leads -> {summary.Total:N0} records in {stopwatch.Elapsed.TotalSeconds:F1} s");
        output?.WriteLine($"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB, "
            + $"managed heap after run {GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024 * 1024):F2} GiB");
        foreach (var (type, count) in summary.CountsByObject)
        {
            output?.WriteLine($"  {type,-22}{count,12:N0}");
        }

        return summary;
    }

    /// <summary>Keeps every record as a value array, roughly what an in-memory org stores, to measure memory with the data held.</summary>
    private sealed class CopyingSink : IDemoDataSink
    {
        private readonly List<object?[]> _records = [];

        public int Count => _records.Count;

        public string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields)
        {
            var values = new object?[fields.Count];
            var i = 0;
            foreach (var (_, value) in fields)
            {
                values[i++] = value;
            }

            _records.Add(values);
            return string.Concat("00X", _records.Count.ToString("D15", CultureInfo.InvariantCulture));
        }
    }
}
