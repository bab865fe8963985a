using System.Globalization;
using SfCompanion.Soak;

// The chaos soak: `dotnet run --project tests/SfCompanion.Soak -c Release -- --profile ci|long [--shapes redis,sqlite]
// [--redis host:port] [--keep-logs]`. Exit code 0 when every invariant holds, 1 when one is violated, 2 for bad arguments.
var profileName = "ci";
var shapes = new List<string> { "redis", "sqlite" };
var redis = Environment.GetEnvironmentVariable("SFC_SOAK_REDIS") ?? Environment.GetEnvironmentVariable("SFC_TEST_REDIS");
var keepLogs = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--profile" when i + 1 < args.Length:
            profileName = args[++i];
            break;
        case "--shapes" when i + 1 < args.Length:
            shapes = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--redis" when i + 1 < args.Length:
            redis = args[++i];
            break;
        case "--keep-logs":
            keepLogs = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: --profile ci|long [--shapes redis,sqlite] [--redis host:port] [--keep-logs]");
            return 2;
    }
}

if (SoakProfile.Find(profileName) is not { } profile)
{
    Console.Error.WriteLine($"--profile '{profileName}': must be 'ci' (about 2 minutes of chaos) or 'long' (30 minutes).");
    return 2;
}

if (shapes.Any(s => s is not ("redis" or "sqlite")))
{
    Console.Error.WriteLine($"--shapes '{string.Join(",", shapes)}': each must be 'redis' (2 web + 1 worker on Redis) or 'sqlite' (one 'all' process).");
    return 2;
}

if (shapes.Contains("redis") && string.IsNullOrWhiteSpace(redis))
{
    Console.Error.WriteLine("The redis shape needs a Redis server: set SFC_SOAK_REDIS (or SFC_TEST_REDIS) to host:port, or pass --redis host:port.");
    return 2;
}

var paths = SoakPaths.Find();
var work = Directory.CreateTempSubdirectory("sfc-soak-").FullName;
Console.WriteLine($"Chaos soak, profile {profile}");
Console.WriteLine($"Logs of every process: {work}");
var started = DateTimeOffset.UtcNow;
var failed = false;
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

foreach (var shape in shapes)
{
    IReadOnlyList<InvariantResult> results;
    try
    {
        results = await new SoakRun(shape, profile, paths, redis, work).RunAsync(cancel.Token);
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or OperationCanceledException)
    {
        Console.WriteLine($"{shape}: the soak could not run: {e.Message}");
        failed = true;
        continue;
    }

    Console.WriteLine();
    Console.WriteLine(SoakReport.Table(shape, results));
    foreach (var result in results.Where(r => r.Violations.Count > 0))
    {
        failed = true;
        Console.WriteLine($"VIOLATED: {result.Name} ({result.Violations.Count}):");
        foreach (var violation in result.Violations.Take(50))
        {
            Console.WriteLine("  - " + violation);
        }

        if (result.Violations.Count > 50)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {result.Violations.Count - 50} more"));
        }
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Soak {(failed ? "FAILED" : "passed")} in {(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min."));
if (!failed && !keepLogs)
{
    Directory.Delete(work, recursive: true);
}

return failed ? 1 : 0;
