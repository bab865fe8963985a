using SfCompanion.Rotation;

namespace SfCompanion.Tests.Rotation;

/// <summary>
/// Properties of the allocator over 100,000 simulated assignments per property, on deterministic seeds: random
/// weights, availability redrawn at every run, runs of random length each on a new allocator over the persisted
/// credits (a restart between runs), and caps.
/// </summary>
public sealed class RotationAllocatorTests
{
    private const int Seeds = 10;
    private const int PerSeed = 10_000;

    [Fact]
    public void Without_a_binding_cap_each_rep_gets_its_weight_share_among_available_reps_within_one_percent()
    {
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var random = new Random(seed);
            var n = random.Next(2, 13);
            var weights = Enumerable.Range(0, n).Select(_ => Math.Round(0.5 + (random.NextDouble() * 9.5), 1)).ToArray();
            var ids = Enumerable.Range(0, n).Select(i => "005R" + i).ToArray();
            var given = new int[n];
            var expected = new double[n];
            var credits = new Dictionary<string, double>();
            var done = 0;
            while (done < PerSeed)
            {
                // Availability changes between runs (leave, licences, days off); at least one rep is in.
                var available = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.8).ToArray();
                available[random.Next(n)] = true;
                var reps = Enumerable.Range(0, n).Select(i => new AllocatorRep(ids[i], weights[i], available[i], DailyLeft: random.Next(2) == 0 ? null : PerSeed, OpenLeft: null)).ToList();
                var allocator = new RotationAllocator(reps, credits);
                var run = Math.Min(random.Next(1, 400), PerSeed - done);
                var availableWeight = Enumerable.Range(0, n).Where(i => available[i]).Sum(i => weights[i]);
                for (var k = 0; k < run; k++)
                {
                    var chosen = allocator.Next();
                    Assert.NotNull(chosen);
                    var index = Array.IndexOf(ids, chosen);
                    Assert.True(available[index], $"seed {seed}: unavailable rep {chosen} chosen");
                    given[index]++;
                    for (var i = 0; i < n; i++)
                    {
                        expected[i] += available[i] ? weights[i] / availableWeight : 0;
                    }
                }

                credits = allocator.Credits();
                done += run;
            }

            for (var i = 0; i < n; i++)
            {
                var share = (double)given[i] / PerSeed;
                var want = expected[i] / PerSeed;
                Assert.True(Math.Abs(share - want) <= 0.01, $"seed {seed}: rep {i} (weight {weights[i]}) got {share:P2}, its weight share among available reps is {want:P2}");
            }
        }
    }

    [Fact]
    public void Caps_are_never_exceeded_unavailable_reps_never_chosen_and_nobody_is_returned_only_when_nobody_can_take()
    {
        var total = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var random = new Random(1000 + seed);
            var n = random.Next(2, 13);
            var ids = Enumerable.Range(0, n).Select(i => "005C" + i).ToArray();
            var weights = Enumerable.Range(0, n).Select(_ => Math.Round(0.5 + (random.NextDouble() * 9.5), 1)).ToArray();
            var dailyCap = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? (int?)null : random.Next(0, 40)).ToArray();
            var openCap = Enumerable.Range(0, n).Select(_ => random.Next(3) == 0 ? (int?)null : random.Next(0, 60)).ToArray();
            var open = new int[n];
            var credits = new Dictionary<string, double>();
            var done = 0;
            while (done < PerSeed)
            {
                // A new day: daily counts restart; some open suspects were worked meanwhile.
                var today = new int[n];
                for (var i = 0; i < n; i++)
                {
                    open[i] -= random.Next(open[i] + 1);
                }

                var available = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.75).ToArray();
                var reps = Enumerable.Range(0, n).Select(i => new AllocatorRep(ids[i], weights[i], available[i], dailyCap[i], openCap[i] - open[i])).ToList();
                var allocator = new RotationAllocator(reps, credits);
                var run = Math.Min(random.Next(1, 300), PerSeed - done);
                for (var k = 0; k < run; k++)
                {
                    var chosen = allocator.Next();
                    if (chosen is null)
                    {
                        Assert.All(Enumerable.Range(0, n), i => Assert.True(!available[i] || today[i] >= dailyCap[i] || open[i] >= openCap[i], $"seed {seed}: rep {i} could still take one"));
                        continue;
                    }

                    var index = Array.IndexOf(ids, chosen);
                    Assert.True(available[index], $"seed {seed}: unavailable rep chosen");
                    today[index]++;
                    open[index]++;
                    Assert.True(dailyCap[index] is null || today[index] <= dailyCap[index], $"seed {seed}: daily cap of rep {index} exceeded");
                    Assert.True(openCap[index] is null || open[index] <= openCap[index], $"seed {seed}: open cap of rep {index} exceeded");
                    if (random.Next(10) == 0)
                    {
                        // Worked within the run: a slot frees up.
                        var worked = random.Next(n);
                        if (open[worked] > 0)
                        {
                            open[worked]--;
                            allocator.Release(ids[worked]);
                        }
                    }
                }

                credits = allocator.Credits();
                done += run;
                total += run;
            }
        }

        Assert.Equal(Seeds * PerSeed, total);
    }

    [Fact]
    public void Credits_carried_over_make_a_restart_every_pick_as_fair_as_one_long_run()
    {
        var reps = new[] { new AllocatorRep("005A", 3), new AllocatorRep("005B", 1), new AllocatorRep("005C", 1) };
        var credits = new Dictionary<string, double>();
        var counts = new Dictionary<string, int>();
        for (var k = 0; k < 500; k++)
        {
            var allocator = new RotationAllocator(reps, credits);
            var chosen = allocator.Next()!;
            counts[chosen] = counts.GetValueOrDefault(chosen) + 1;
            credits = allocator.Credits();
        }

        Assert.Equal((300, 100, 100), (counts["005A"], counts["005B"], counts["005C"]));
    }

    [Fact]
    public void Excluding_the_current_owner_gives_the_next_rep_and_nobody_when_alone()
    {
        var allocator = new RotationAllocator([new AllocatorRep("005A", 1), new AllocatorRep("005B", 1, Available: false)]);
        Assert.Null(allocator.Next(exclude: "005A"));
        Assert.Equal("005A", allocator.Next());
    }
}
