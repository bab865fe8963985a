using BenchmarkDotNet.Running;

namespace SfCompanion.Benchmarks;

public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args is ["rules-memory"])
        {
            await RulesMemory.RunAsync();
            return;
        }

        if (args is ["freshness"])
        {
            await FreshnessBenchmark.RunAsync();
            return;
        }

        if (args is ["initial-load", ..])
        {
            await InitialLoadBenchmark.RunAsync(args);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
