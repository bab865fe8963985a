using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using SfCompanion.Emulator;
using SfCompanion.Hosting;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Demo;

/// <summary>
/// <c>SfCompanion demo</c>: starts the Salesforce emulator in-process with generated data, runs the service
/// against it on the embedded SQLite store, shows the initial sync, performs a writeback round, prints a
/// summary and keeps serving until Ctrl+C. Also registers tracked links and clicks them as people and as scanners. No Salesforce account, no Redis, no set-up.
/// </summary>
public static class DemoCommand
{
    private const string Usage = "Usage: SfCompanion demo [--leads N (1000-1000000, default 10000)] [--seed S] [--latency MIN-MAX ms] [--port P (default 5080)] [--data DIR (default ./data/demo)] [--exit]";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParse(args, out var settings, out var error))
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + Usage);
            return 2;
        }

        // Ctrl+C, SIGINT (also when started in the background) and SIGTERM all stop the demo the same way: the
        // service drains within its shutdown timeout and the emulator stops.
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        try
        {
            return await RunDemoAsync(settings, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.WriteLine("Stopped.");
            return 130;
        }
    }

    private static async Task<int> RunDemoAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var org = await StartOrgAsync(settings, started, cancellationToken);
        var dataDir = PrepareStore(settings);
        var adminKey = "sfc_demo_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var url = $"http://127.0.0.1:{settings.Port}";
        var app = BuildService(org, dataDir, adminKey, url);
        if (!await SfCompanionApp.CheckAsync(app))
        {
            return 2;
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (StartupFailure.Describe(ex, "--port P (the demo listens on 127.0.0.1:P), e.g. --port 5081") is { } line)
        {
            await Console.Error.WriteLineAsync(line);
            await app.DisposeAsync();
            return StartupFailure.ExitCode;
        }

        try
        {
            var services = app.Services;
            var client = services.GetRequiredService<ISalesforceClient>();
            var mirror = services.GetRequiredService<Mirror>();
            await InitialSyncAsync(services, mirror, cancellationToken);
            await WritebackRoundAsync(services, mirror, cancellationToken);

            Console.WriteLine();
            Console.WriteLine("Rules: VIP contacts from facts, tuned by watching how many match (what-if on the whole mirror), then written back.");
            var vip = await new DemoRules(url, adminKey, services.GetRequiredService<WritebackService>(), client).RunAsync(cancellationToken);

            Console.WriteLine();
            Console.WriteLine("Click tracking: links registered, clicked by people and by scanners, results written back.");
            await new DemoClicks(url, adminKey, mirror, client).RunAsync(cancellationToken);

            Console.WriteLine();
            Console.WriteLine("Scoring: a software-publisher routine on leads (market, size, revenue, inbound source, clicks with a 30-day half-life).");
            var scoring = await new DemoScoring(url, adminKey, services.GetRequiredService<WritebackService>(), client).RunAsync(cancellationToken);

            Console.WriteLine();
            Console.WriteLine("Rotation: the best suspects of the flow shared among reps by weighted round robin, with follow-up tasks.");
            var rotation = await new DemoRotation(url, adminKey, mirror, services.GetRequiredService<WritebackService>(), client).RunAsync(DemoScoring.Routine.Name, cancellationToken);

            PrintSummary(started, org, client, url, adminKey, dataDir, vip, scoring, rotation);
            if (settings.ExitWhenDone)
            {
                return 0;
            }

            await ServeUntilStoppedAsync(app, cancellationToken);
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static async Task<SalesforceEmulator> StartOrgAsync(DemoSettings settings, long started, CancellationToken cancellationToken)
    {
        Console.WriteLine($"SfCompanion demo: generating a Salesforce org with {settings.Leads:N0} leads (seed {settings.Seed})...");
        var org = await SalesforceEmulator.StartAsync(new EmulatorOptions
        {
            DemoLeads = settings.Leads,
            Seed = settings.Seed,
            LatencyMinMs = settings.LatencyMin,
            LatencyMaxMs = settings.LatencyMax,
            MaxApiVersion = 66,
        }, cancellationToken);
        Console.WriteLine($"Salesforce emulator at {org.BaseUrl} (client id {org.ClientId}), {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        return org;
    }

    /// <summary>
    /// The emulator's data is new at every run, so the demo store starts empty too. Only the store's own files are
    /// removed: --data may name a folder that holds other things.
    /// </summary>
    private static string PrepareStore(DemoSettings settings)
    {
        var dataDir = Path.GetFullPath(settings.DataDirectory);
        Directory.CreateDirectory(dataDir);
        foreach (var file in new[] { "sfcompanion.db", "sfcompanion.db-wal", "sfcompanion.db-shm", "sfcompanion.db-journal" })
        {
            File.Delete(Path.Combine(dataDir, file));
        }

        return dataDir;
    }

    private static WebApplication BuildService(SalesforceEmulator org, string dataDir, string adminKey, string url) => SfCompanionApp.Build(
    [
        "--urls", url,
        $"--Storage:Provider=Sqlite",
        $"--Storage:Sqlite:Path={Path.Combine(dataDir, "sfcompanion.db")}",
        $"--Salesforce:LoginUrl={org.BaseUrl}",
        "--Salesforce:AuthFlow=ClientCredentials",
        $"--Salesforce:ClientId={org.ClientId}",
        $"--Salesforce:ClientSecret={org.ClientSecret}",
        "--Salesforce:ApiVersion=66.0",
        // The console's "Sign in with Salesforce" against the emulator (its client id, secret and login URL are the Salesforce section's).
        "--Console:SalesforceSignIn:Enabled=true",
        $"--Admin:BootstrapKey={adminKey}",
        $"--Tracking:PublicBaseUrl={url}",
        $"--Consent:PublicBaseUrl={url}",
        // Clicks are aggregated 2 s after they happen instead of 15 s, so the demo does not wait.
        "--Tracking:SettleSeconds=2",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
    ]);

    private static async Task InitialSyncAsync(IServiceProvider services, Mirror mirror, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("Initial sync into the mirror:");
        var progress = new ConsoleProgress();
        var started = Stopwatch.GetTimestamp();
        var sync = await services.GetRequiredService<SyncService>().SyncAllAsync(progress.Report, cancellationToken);
        progress.Finish();
        foreach (var o in sync.Objects)
        {
            var rate = o.Duration.TotalSeconds > 0 ? o.Upserted / o.Duration.TotalSeconds : 0;
            Console.WriteLine($"  {o.Object,-22} {await mirror.CountAsync(o.Object, cancellationToken),9:N0} records  via {o.Mode,-11} {o.ApiCalls,4} API calls  {o.Duration.TotalSeconds,6:0.0} s  {rate,9:N0} records/s");
        }

        var records = sync.Objects.Sum(o => o.Upserted);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"  Initial sync: {records:N0} records, {sync.ApiCalls} API calls, {seconds:0.0} s, {records / Math.Max(seconds, 0.001):N0} records/s");
    }

    private static async Task WritebackRoundAsync(IServiceProvider services, Mirror mirror, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("Writeback round: opt-outs propagated to every lead/contact with the same email address.");
        var outbox = services.GetRequiredService<Outbox>();
        var enqueued = await new DuplicateOptOutPropagation(mirror, outbox).EnqueueAsync(cancellationToken);
        var writeback = services.GetRequiredService<WritebackService>();
        var first = await writeback.RunAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"  {enqueued:N0} desired values enqueued; {first.Unchanged:N0} already held in Salesforce (no call); {first.Succeeded:N0} records updated; {first.DeadLettered:N0} refused; {first.Retrying:N0} left for a later pass; {first.ApiCalls} API calls");
        await new DuplicateOptOutPropagation(mirror, outbox).EnqueueAsync(cancellationToken);
        var second = await writeback.RunAsync(cancellationToken: cancellationToken);
        Console.WriteLine($"  Same round again: {second.Unchanged:N0} values unchanged, {second.ApiCalls} API calls.");
    }

    private static void PrintSummary(long started, SalesforceEmulator org, ISalesforceClient client, string url, string adminKey, string dataDir, DemoRulesSummary vip, DemoScoringSummary scoring, DemoRotationSummary? rotation)
    {
        Console.WriteLine();
        Console.WriteLine("Summary");
        Console.WriteLine($"  Duration:          {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
        Console.WriteLine($"  VIP what-ifs:      {string.Join(" → ", vip.Steps.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}; {vip.Flagged:N0} contacts flagged VIP in Salesforce");
        Console.WriteLine($"  Scoring:           {DemoScoring.Describe(scoring)}");
        if (rotation is not null)
        {
            Console.WriteLine($"  Rotation:          {rotation.Assigned} suspects assigned ({rotation.Shares}), {rotation.Tasks} follow-up tasks in Salesforce");
        }
        Console.WriteLine($"  API calls:         {client.Calls.ApiCalls} ({string.Join(", ", client.Calls.Snapshot().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))})");
        if (client.LastApiUsage is { } usage)
        {
            Console.WriteLine($"  Org API usage:     {usage.Used:N0} of {usage.Limit:N0} daily requests");
        }

        Console.WriteLine($"  Admin API:         {url}/api  (API reference: {url}/docs)");
        Console.WriteLine($"  Admin key:         {adminKey}");
        Console.WriteLine($"  Try:               curl -H \"Authorization: Bearer {adminKey}\" {url}/api/sync");
        Console.WriteLine($"  Health:            {url}/health/ready");
        Console.WriteLine($"  Store:             {Path.Combine(dataDir, "sfcompanion.db")}");
        Console.WriteLine($"  Console:           {url}/console  (Sign in with Salesforce, or with the admin key)");
        var users = org.Options.Users;
        Console.WriteLine($"  Console users:     {string.Join(", ", users.Select(u => u.Username + " (" + (u.PermissionSets.Count == 0 ? "no role" : string.Join(", ", u.PermissionSets)) + ")"))}");
        Console.WriteLine($"  Their password:    {string.Join(", ", users.Select(u => u.Password).Distinct(StringComparer.Ordinal))}");
    }

    private static async Task ServeUntilStoppedAsync(WebApplication app, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        Console.WriteLine("Serving until Ctrl+C.");
        // The host's own signal handling stops the application: either way ends the wait.
        using var serving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        await Task.Delay(Timeout.Infinite, serving.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine("Stopping.");
    }

    private static bool TryParse(string[] args, out DemoSettings settings, out string error)
    {
        settings = new DemoSettings();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--leads":
                        settings.Leads = int.Parse(Next(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
                        if (settings.Leads is < 1000 or > 1_000_000)
                        {
                            error = $"--leads {settings.Leads}: must be between 1000 and 1000000.";
                            return false;
                        }

                        break;
                    case "--seed":
                        settings.Seed = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--latency":
                        var parts = Next().Split('-');
                        settings.LatencyMin = int.Parse(parts[0], CultureInfo.InvariantCulture);
                        settings.LatencyMax = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                        if (settings.LatencyMin < 0 || settings.LatencyMax < settings.LatencyMin)
                        {
                            error = $"--latency {settings.LatencyMin}-{settings.LatencyMax}: expected MIN-MAX milliseconds with 0 <= MIN <= MAX, e.g. 50-150.";
                            return false;
                        }

                        break;
                    case "--port":
                        settings.Port = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--data":
                        settings.DataDirectory = Next();
                        break;
                    case "--exit":
                        settings.ExitWhenDone = true;
                        break;
                    default:
                        error = $"Unknown option '{args[i]}'.";
                        return false;
                }
            }
            catch (FormatException ex)
            {
                error = $"{args[i]}: {ex.Message}";
                return false;
            }
        }

        return true;
    }

    private sealed class DemoSettings
    {
        public int Leads { get; set; } = 10_000;

        public int Seed { get; set; } = 42;

        public int LatencyMin { get; set; }

        public int LatencyMax { get; set; }

        public int Port { get; set; } = 5080;

        public string DataDirectory { get; set; } = "./data/demo";

        public bool ExitWhenDone { get; set; }
    }

    /// <summary>One updating line per object on a terminal; a line per tenth when output is redirected.</summary>
    private sealed class ConsoleProgress
    {
        private readonly Lock _gate = new();
        private readonly SyncRate _rate = new(TimeProvider.System);
        private string? _current;
        private int _width;
        private int _lastTenth = -1;

        public void Report(string sobject, long done, long? total)
        {
            lock (_gate)
            {
                if (_current != sobject)
                {
                    Finish();
                    _current = sobject;
                    _lastTenth = -1;
                    _width = 0;
                }

                var fraction = total is > 0 ? Math.Min(1.0, (double)done / total.Value) : 1.0;
                var bar = new string('#', (int)(fraction * 20)).PadRight(20);
                var (rate, left) = _rate.Report(sobject, done, total);
                var eta = left is { } l && done < total ? $", {SyncRate.Format(l)} left" : "";
                var line = $"  {sobject,-22} {done,9:N0} / {(total ?? done),9:N0}  [{bar}] {rate,9:N0} records/s{eta}".PadRight(_width);
                _width = line.Length;
                if (Console.IsOutputRedirected)
                {
                    var tenth = (int)(fraction * 10);
                    if (tenth != _lastTenth)
                    {
                        _lastTenth = tenth;
                        Console.WriteLine(line);
                    }
                }
                else
                {
                    Console.Write("\r" + line);
                }
            }
        }

        public void Finish()
        {
            if (_current is not null && !Console.IsOutputRedirected)
            {
                Console.WriteLine();
            }

            _current = null;
        }
    }
}
