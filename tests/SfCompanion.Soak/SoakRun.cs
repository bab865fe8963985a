using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using SfCompanion.Jobs;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Tracking;
using SfCompanion.Writeback;

namespace SfCompanion.Soak;

/// <summary>
/// One deployment shape through the whole soak: the standalone emulator with faults, the service's processes, setup,
/// chaos (load, faults, a rep's changes, SIGKILLs of the worker), the quiet period, then the invariants.
/// <c>redis</c>: two <c>web</c> processes and one <c>worker</c> on one Redis. <c>sqlite</c>: one <c>all</c> process.
/// </summary>
internal sealed class SoakRun(string shape, SoakProfile profile, SoakPaths paths, string? redis, string workDirectory)
{
    private const string Jobs = "*/5 * * * * ?";
    private readonly string _adminKey = "sfc_soak_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _prefix = "soak" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private readonly SoakLedger _ledger = new();
    private readonly List<ChildProcess> _processes = [];
    private readonly Dictionary<string, (ChildProcess Process, int Port, string Role)> _services = new(StringComparer.Ordinal);
    private string _emulatorUrl = "";

    private TimeSpan Chaos => shape == "redis" ? profile.RedisChaos : profile.SqliteChaos;

    private bool UsesRedis => shape == "redis";

    public async Task<IReadOnlyList<InvariantResult>> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartEmulatorAsync();
            using var control = new HttpClient { BaseAddress = new Uri(_emulatorUrl) };
            var emulator = new EmulatorControl(control);
            if (UsesRedis)
            {
                await StartServiceAsync("web1", "web");
                await StartServiceAsync("web2", "web");
                await StartServiceAsync("worker", "worker");
            }
            else
            {
                await StartServiceAsync("all", "all");
            }

            var webs = _services.Values.Where(s => s.Role != "worker").Select(s => new Uri($"http://127.0.0.1:{s.Port}")).ToList();
            using var adminHttp = new HttpClient { BaseAddress = webs[0], Timeout = TimeSpan.FromSeconds(60) };
            adminHttp.DefaultRequestHeaders.Add("X-Api-Key", _adminKey);
            var api = new ServiceApi(adminHttp);
            await using var salesforce = SalesforceClientFactory.Create(new SalesforceOptions
            {
                LoginUrl = _emulatorUrl,
                AuthFlow = SalesforceAuthFlow.ClientCredentials,
                ClientId = "sfc-demo-client",
                ClientSecret = "sfc-demo-secret",
            });

            Log($"setting schedules and waiting for the initial sync");
            foreach (var job in new[] { "sync", "writeback" })
            {
                await api.SetScheduleAsync(job, Jobs, cancellationToken);
            }

            await api.SetScheduleAsync("consent-salesforce-import", "*/10 * * * * ?", cancellationToken);
            await WaitForInitialSyncAsync(adminHttp, cancellationToken);

            var (links, recipients, people) = await SetUpCampaignsAsync(api, salesforce.Client, cancellationToken);
            Log($"{links.Count} tracked links, {recipients.Count} recipients, {people.Count} people; chaos for {Chaos.TotalSeconds:0} s");

            await ChaosAsync(emulator, webs, links, recipients, people, cancellationToken);

            Log("quiet period: faults off, jobs run to completion");
            await emulator.SetFaultsAsync(new { clear = true }, cancellationToken);
            await emulator.SetApiUsedAsync(0, cancellationToken);
            var converged = await QuietAsync(cancellationToken);

            await using var store = await OpenStoreAsync();
            var results = (await new InvariantChecker(store.Store, salesforce.Client, _ledger).CheckAsync(cancellationToken)).ToList();
            var quiet = new InvariantResult("the quiet period converged (outbox drained, clicks aggregated, a sync after the last write)") { Checked = 1 };
            if (converged is not null)
            {
                quiet.Violation(converged);
            }

            results.Insert(0, quiet);
            var faults = await emulator.GetFaultsAsync(cancellationToken);
            Log(string.Create(CultureInfo.InvariantCulture, $"sent {_ledger.Clicks.Count} clicks ({_ledger.Clicks.Count(c => c.Answered)} answered), {_ledger.OptOuts.Count} opt-outs, {_ledger.RepActions.Count} rep changes ({_ledger.DeletedIds().Count} deletes), {_ledger.Kills.Count} kills; emulator injected {faults.GetProperty("injected").GetInt32()} faults, {faults.GetProperty("apiCallsUsed").GetInt32()} API calls counted since the budget reset"));
            return results;
        }
        finally
        {
            foreach (var process in _processes.AsEnumerable().Reverse())
            {
                await process.DisposeAsync();
            }
        }
    }

    private void Log(string message) => Console.WriteLine($"[{DateTimeOffset.UtcNow:HH:mm:ss}] {shape}: {message}");

    private async Task StartEmulatorAsync()
    {
        var emulator = ChildProcess.Start("emulator", "dotnet",
        [
            paths.EmulatorDll, "--urls", "http://127.0.0.1:0", "--leads", profile.Leads.ToString(CultureInfo.InvariantCulture), "--seed", "7",
            "--latency-ms", "2-20", "--api-limit", "1000000", "--token-lifetime-seconds", profile.TokenLifetimeSeconds.ToString(CultureInfo.InvariantCulture),
            "--control", "true",
        ], Path.Combine(workDirectory, $"{shape}-emulator.log"), workDirectory, waitFor: "Salesforce emulator listening on ");
        _processes.Add(emulator);
        _emulatorUrl = await emulator.WaitForLineAsync(TimeSpan.FromMinutes(2));
        Log($"emulator on {_emulatorUrl} ({profile.Leads} leads)");
    }

    private async Task StartServiceAsync(string name, string role, int? port = null)
    {
        port ??= FreePort();
        var arguments = new List<string>
        {
            paths.ServiceDll, "--urls", $"http://127.0.0.1:{port}", "--role", role,
            $"--Admin:BootstrapKey={_adminKey}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
            $"--Salesforce:LoginUrl={_emulatorUrl}", "--Salesforce:AuthFlow=ClientCredentials",
            "--Salesforce:ClientId=sfc-demo-client", "--Salesforce:ClientSecret=sfc-demo-secret",
            $"--Tracking:PublicBaseUrl=http://127.0.0.1:{port}",
            $"--Tracking:AggregationCron={Jobs}", "--Tracking:SettleSeconds=2",
            // Each process has its click journal (kept across its restarts, so a killed process's clicks are replayed).
            $"--Tracking:JournalDirectory={Path.Combine(workDirectory, $"{shape}-{name}-journal")}",
            "--Jobs:SchedulePollSeconds=2", "--Jobs:LeaseSeconds=10", "--Jobs:LeaseRenewSeconds=3",
            "--Writeback:RetryBaseSeconds=2",
            // The budget squeeze lasts seconds to minutes: read the usage again soon after the stop threshold.
            "--Salesforce:Budget:UsageRecheckInterval=00:00:15",
        };
        if (UsesRedis)
        {
            arguments.AddRange(["--store", "Redis", $"--Storage:Redis:ConnectionString={redis}", $"--Storage:Redis:KeyPrefix={_prefix}"]);
        }
        else
        {
            arguments.Add($"--Storage:Sqlite:Path={SqlitePath}");
        }

        // Started from its own folder, as in the container image (content root, wwwroot); the store's path is absolute.
        var process = ChildProcess.Start(name, "dotnet", arguments, Path.Combine(workDirectory, $"{shape}-{name}.log"), Path.GetDirectoryName(paths.ServiceDll)!);
        _processes.Add(process);
        _services[name] = (process, port.Value, role);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var api = new ServiceApi(http);
        for (var i = 0; i < 600; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{shape} {name} exited at start; see {workDirectory}/{shape}-{name}.log");
            }

            if (await api.IsReadyAsync(CancellationToken.None))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"{shape} {name} did not answer /health/live within 2 minutes");
    }

    private string SqlitePath => Path.Combine(workDirectory, "sqlite", "sfcompanion.db");

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<OpenedStore> OpenStoreAsync() => UsesRedis
        ? new OpenedStore(await RedisStore.ConnectAsync(new RedisStorageOptions { ConnectionString = redis, KeyPrefix = _prefix }))
        : new OpenedStore(SqliteStore.Open(new SqliteStorageOptions { Path = SqlitePath }));

    private static async Task WaitForInitialSyncAsync(HttpClient api, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var state = await api.GetFromJsonAsync<JsonElement>("/api/sync", cancellationToken);
            var objects = state.ValueKind == JsonValueKind.Array ? state : state.GetProperty("objects");
            if (objects.GetArrayLength() > 0 && objects.EnumerateArray().All(o => o.GetProperty("initialComplete").GetBoolean()))
            {
                return;
            }

            await Task.Delay(1000, cancellationToken);
        }

        throw new InvalidOperationException("The initial sync did not complete within 5 minutes.");
    }

    /// <summary>The two campaigns with the most members: three tracked links, and up to 150 members as recipients.</summary>
    private static async Task<(List<SoakLink> Links, List<SoakRecipient> Recipients, List<string> People)> SetUpCampaignsAsync(ServiceApi api, ISalesforceClient org, CancellationToken cancellationToken)
    {
        var members = new List<(string Campaign, string Person)>();
        await foreach (var member in org.QueryAsync("SELECT CampaignId, LeadId, ContactId FROM CampaignMember", cancellationToken: cancellationToken))
        {
            if ((member.GetString("LeadId") ?? member.GetString("ContactId")) is { } person)
            {
                members.Add((member.GetString("CampaignId")!, person));
            }
        }

        var campaigns = members.GroupBy(m => m.Campaign).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(2).Select(g => g.Key).ToList();
        var links = new List<SoakLink>();
        foreach (var (campaign, label, url) in new[]
        {
            (campaigns[0], "Livre blanc", "https://www.exemple.fr/livre-blanc"),
            (campaigns[0], "Tarifs", "https://www.exemple.fr/tarifs"),
            (campaigns[1], "Webinaire", "https://www.exemple.fr/webinaire"),
        })
        {
            var (id, destination) = await api.RegisterLinkAsync(campaign, label, url, cancellationToken);
            links.Add(new SoakLink(id, campaign, destination));
        }

        var recipients = new List<SoakRecipient>();
        foreach (var (campaign, person) in members.Where(m => campaigns.Contains(m.Campaign)).DistinctBy(m => m.Person).OrderBy(m => m.Person, StringComparer.Ordinal).Take(150))
        {
            var link = links.First(l => l.CampaignId == campaign);
            recipients.Add(new SoakRecipient(person, campaign, await api.RecipientTokenAsync(link.Id, person, cancellationToken)));
        }

        var people = new List<string>();
        foreach (var type in new[] { "Lead", "Contact" })
        {
            await foreach (var person in org.QueryAsync($"SELECT Id FROM {type}", cancellationToken: cancellationToken))
            {
                people.Add(person.Id!);
            }
        }

        return (links, recipients, people);
    }

    private async Task ChaosAsync(EmulatorControl emulator, List<Uri> webs, List<SoakLink> links, List<SoakRecipient> recipients, List<string> people, CancellationToken cancellationToken)
    {
        await emulator.SetFaultsAsync(new { serviceUnavailableRate = 0.05, lockRate = 0.05, slowRate = 0.03, slowDelayMs = 1500 }, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var load = new LoadGenerator(webs, links, recipients, _ledger, profile.ActionsPerSecond, seed: 11);
        var reps = new RepMutator(emulator, people, [.. recipients.Select(r => r.Id)], _ledger, profile.RepChangesPerSecond, seed: 13);
        var loadTask = load.RunAsync(stop.Token);
        var repTask = reps.RunAsync(stop.Token);

        var start = DateTimeOffset.UtcNow;
        var kills = new Queue<double>([0.30, 0.65]);
        Task restarting = Task.CompletedTask;
        var squeeze = "before";
        var expiries = 0;
        var expiryEvery = TimeSpan.FromSeconds(Math.Max(20, Chaos.TotalSeconds / 10));
        while (DateTimeOffset.UtcNow - start < Chaos)
        {
            var progress = (DateTimeOffset.UtcNow - start) / Chaos;
            if (kills.Count > 0 && progress >= kills.Peek() && restarting.IsCompleted)
            {
                kills.Dequeue();
                restarting = KillAndRestartWorkerAsync();
            }

            if (squeeze == "before" && progress >= 0.40)
            {
                squeeze = "on";
                Log("API budget nearly spent (300 calls left of 1,000,000)");
                await emulator.SetApiUsedAsync(1_000_000 - 300, cancellationToken);
            }
            else if (squeeze == "on" && progress >= 0.55)
            {
                squeeze = "after";
                Log("API budget back to normal");
                await emulator.SetApiUsedAsync(0, cancellationToken);
            }

            if (DateTimeOffset.UtcNow - start >= expiryEvery * (expiries + 1))
            {
                expiries++;
                await emulator.SetFaultsAsync(new { expireTokensNow = true }, cancellationToken);
            }

            await Task.Delay(500, cancellationToken);
        }

        await restarting;
        await stop.CancelAsync();
        await Task.WhenAll(loadTask, repTask);
        Log(string.Create(CultureInfo.InvariantCulture, $"load stopped ({load.Skipped} ticks skipped with {16} requests in flight); {expiries} forced token expiries"));
    }

    /// <summary>SIGKILL of the process that runs the jobs (the worker, or the single process), then a restart on the same port.</summary>
    private async Task KillAndRestartWorkerAsync()
    {
        var name = UsesRedis ? "worker" : "all";
        var (process, port, role) = _services[name];
        Log($"kill -9 {name} (pid {process.Id})");
        _ledger.Kills.Enqueue(DateTimeOffset.UtcNow);
        await process.KillHardAsync();
        await Task.Delay(3000);
        await StartServiceAsync(name, role, port);
        Log($"{name} restarted");
    }

    /// <summary>
    /// Waits until the service has caught up with everything: the click log aggregated, the outbox drained (what is left is
    /// dead-lettered), and a successful sync, consent import and aggregation that all started after the last writeback
    /// that wrote anything. Null when converged, else what did not.
    /// </summary>
    private async Task<string?> QuietAsync(CancellationToken cancellationToken)
    {
        await using var opened = await OpenStoreAsync();
        var store = opened.Store;
        var quietStart = DateTimeOffset.UtcNow;
        var deadline = quietStart + profile.QuietTimeout;
        var state = "";
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(2000, cancellationToken);
            var pending = await store.CountAsync(Outbox.Kind, cancellationToken);
            var lastClick = await store.GetLastSequenceAsync(ClickEvent.Log, cancellationToken);
            var cursor = await store.GetCursorAsync(ClickEvent.Log, ClickAggregator.Consumer, cancellationToken);
            var runs = new List<JobRun>();
            await foreach (var doc in store.ListAllAsync(JobStore.RunKind, 1000, cancellationToken))
            {
                runs.Add(JsonSerializer.Deserialize<JobRun>(doc.Data, new JsonSerializerOptions(JsonSerializerDefaults.Web))!);
            }

            var lastWrite = runs.Where(r => r.Job == "writeback" && r.Done > 0 && r.EndedAt is not null).Select(r => r.EndedAt!.Value).DefaultIfEmpty(quietStart).Max();
            lastWrite = lastWrite > quietStart ? lastWrite : quietStart;
            var running = runs.Any(r => r.Status is JobRunStatus.Running or JobRunStatus.Queued && r.Job is "writeback" or "sync" or "click-aggregation" or "consent-salesforce-import");
            var sync = FirstSucceeded(runs, "sync", lastWrite);
            var consent = sync is null ? null : FirstSucceeded(runs, "consent-salesforce-import", sync.EndedAt!.Value);
            var aggregation = sync is null ? null : FirstSucceeded(runs, ClickAggregationJob.Name, sync.EndedAt!.Value);
            state = string.Create(CultureInfo.InvariantCulture, $"outbox {pending}, clicks aggregated {cursor}/{lastClick}, sync after last write: {sync?.Id ?? "none"}, consent import after it: {consent?.Id ?? "none"}, aggregation after it: {aggregation?.Id ?? "none"}, jobs running: {running}");
            if (pending == 0 && cursor == lastClick && sync is not null && consent is not null && aggregation is not null && !running)
            {
                Log($"converged after {(DateTimeOffset.UtcNow - quietStart).TotalSeconds:0} s: {state}");
                return null;
            }
        }

        Log($"did not converge within {profile.QuietTimeout.TotalSeconds:0} s: {state}");
        return $"not converged within {profile.QuietTimeout.TotalSeconds:0} s: {state}";
    }

    private static JobRun? FirstSucceeded(List<JobRun> runs, string job, DateTimeOffset after) =>
        runs.Where(r => r.Job == job && r.Status == JobRunStatus.Succeeded && r.StartedAt > after).MinBy(r => r.StartedAt);
}
