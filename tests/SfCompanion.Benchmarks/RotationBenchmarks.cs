using BenchmarkDotNet.Attributes;
using SfCompanion.Rotation;
using SfCompanion.Writeback;

namespace SfCompanion.Benchmarks;

/// <summary>
/// A rotation run's own work, without storage or the writeback: 10,000 suspects shared among 50 reps (random
/// weights, a fifth with a daily cap, two on leave) by the allocator, with each assignment's outbox writes built
/// (the owner value and the follow-up task record). Goal: well under a second, so a run's cost is its reads and writes.
/// </summary>
[MemoryDiagnoser]
public class RotationBenchmarks
{
    private const int Suspects = 10_000;
    private const int RepCount = 50;

    private readonly RotationPool _pool = new() { Name = "publishers", Routine = "software-publishers" };
    private readonly DateOnly _today = new(2026, 11, 30);
    private AllocatorRep[] _reps = null!;
    private (string Id, int Score)[] _flow = null!;
    private Dictionary<string, double> _credits = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _reps = [.. Enumerable.Range(0, RepCount).Select(i => new AllocatorRep(
            "005" + i.ToString("D15", System.Globalization.CultureInfo.InvariantCulture),
            Math.Round(0.5 + (random.NextDouble() * 4.5), 1),
            Available: i is not (7 or 21),
            DailyLeft: i % 5 == 0 ? 150 : null))];
        _flow = [.. Enumerable.Range(0, Suspects).Select(i => ("00Q" + i.ToString("D15", System.Globalization.CultureInfo.InvariantCulture), 100 - (i % 100)))];
        _credits = new RotationAllocator(_reps).Credits();
    }

    [Benchmark]
    public int AllocateAndBuildWrites()
    {
        var allocator = new RotationAllocator(_reps, _credits);
        var values = new List<DesiredValue>(Suspects);
        var records = new List<DesiredRecord>(Suspects);
        foreach (var (id, score) in _flow)
        {
            if (allocator.Next() is not { } rep)
            {
                break;
            }

            var (owner, task) = RotationService.Writes(_pool, "Lead", _pool.Routine, _today, id, score, rep, 0, "best suspect, weighted round robin");
            values.Add(owner);
            records.Add(task);
        }

        return values.Count + records.Count;
    }

    [Benchmark]
    public int AllocateOnly()
    {
        var allocator = new RotationAllocator(_reps, _credits);
        var given = 0;
        for (var i = 0; i < Suspects && allocator.Next() is not null; i++)
        {
            given++;
        }

        return given;
    }
}
