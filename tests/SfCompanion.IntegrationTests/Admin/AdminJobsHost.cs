using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using SfCompanion.Admin;
using SfCompanion.Jobs;

namespace SfCompanion.IntegrationTests.Admin;

/// <summary>
/// The service in-process over SQLite with the admin and jobs capabilities added and mapped under <c>/api</c>, test jobs
/// registered, the bootstrap key captured, and optionally a fake clock or the web role only. Several hosts can share a
/// data directory, one after the other, to test restarts.
/// </summary>
public sealed class AdminJobsHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "sfc_test-bootstrap-admin-key-0123456789abcdefghij";
    public const string FarCron = "0 0 3 1 1 ?";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly bool _ownsDirectory;

    public AdminJobsHost(string? dataDirectory = null, bool runsWorker = true, TimeProvider? time = null, bool configureBootstrapKey = true)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("sfc-admin-jobs-").FullName;
        RunsWorker = runsWorker;
        Time = time;
        if (configureBootstrapKey)
        {
            _settings["Admin:BootstrapKey"] = AdminKey;
        }

        _settings["Hosting:Role"] = runsWorker ? "all" : "web";
        _settings["Jobs:SchedulePollSeconds"] = "1";
        _settings["Jobs:ProgressFlushMilliseconds"] = "50";
    }

    public string DataDirectory { get; }

    public bool RunsWorker { get; }

    public TimeProvider? Time { get; }

    public CapturingAnnouncer Announcer { get; } = new();

    public TestJobProbe Probe { get; } = new();

    public AdminJobsHost With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public HttpClient ClientWithKey(string? key, bool bearer = false)
    {
        var client = CreateClient();
        if (key is not null)
        {
            if (bearer)
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                client.DefaultRequestHeaders.Add(ApiKeyDefaults.HeaderName, key);
            }
        }

        return client;
    }

    /// <summary>Creates a key with <paramref name="role"/> through the API (as the bootstrap admin) and returns its secret.</summary>
    public async Task<string> CreateKeyAsync(string role, CancellationToken cancellationToken)
    {
        using var admin = ClientWithKey(AdminKey);
        var response = await admin.PostAsJsonAsync("/api/keys", new { name = "test " + role, role }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<AdminApi.CreatedApiKeyView>(cancellationToken);
        return created!.Key;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Sqlite:Path", Path.Combine(DataDirectory, "sfcompanion.db"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (Time is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(Time);
            }

            services.RemoveAll<IBootstrapKeyAnnouncer>();
            services.AddSingleton<IBootstrapKeyAnnouncer>(Announcer);
            services.AddSingleton(Probe);
            services.AddAdmin();
            services.AddJobs(RunsWorker);
            services.AddSfcJob<ProgressTestJob>("progress", FarCron, "UTC", "Reports progress, API calls and a warning.");
            services.AddSfcJob<FailingTestJob>("failing", FarCron, "Europe/Paris", "Always fails.");
            services.AddSfcJob<GatedTestJob>("gated", FarCron, "UTC", "Runs until the test opens its gate.");
            services.AddSingleton<IStartupFilter, MapAdminJobsApi>();
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Only admin and jobs are exercised here: other capabilities' services that need Salesforce settings are not
        // built eagerly (they are validated by their own tests), while scopes stay validated.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = false;
        });
        return base.CreateHost(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a finishing background task; the OS temp folder is cleaned anyway.
            }
        }
    }

    /// <summary>Maps the admin and jobs endpoints under /api in front of the application's own pipeline.</summary>
    private sealed class MapAdminJobsApi : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseEndpoints(endpoints =>
            {
                var api = endpoints.MapApiGroup();
                api.MapAdminApi();
                api.MapJobsApi();

                // How another capability adds endpoints that need a higher role than the group's viewer.
                api.MapGroup("").RequireRole(SfcRoles.Marketer).MapGet("/test/marketer-only", () => "ok");
            });
            next(app);
        };
    }
}

public sealed class CapturingAnnouncer : IBootstrapKeyAnnouncer
{
    public ConcurrentQueue<string> Secrets { get; } = new();

    public void Announce(CreatedApiKey key) => Secrets.Enqueue(key.Secret);
}

/// <summary>Lets tests hold a job mid-run and count executions.</summary>
public sealed class TestJobProbe
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Runs => Volatile.Read(ref _runs);

    public Task Gate => _gate.Task;

    public void OpenGate() => _gate.TrySetResult();

    internal void Count() => Interlocked.Increment(ref _runs);
}

public sealed class ProgressTestJob(TestJobProbe probe) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        for (var i = 1; i <= 4; i++)
        {
            context.ReportProgress(i * 25, 100, "counting");
            context.AddApiCalls(2);
            await Task.Yield();
        }

        context.Warn("a warning for the record");
    }
}

public sealed class FailingTestJob(TestJobProbe probe) : ISfcJob
{
    public Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        context.ReportProgress(3, 10, "before the failure");
        throw new InvalidOperationException("Salesforce said no");
    }
}

public sealed class GatedTestJob(TestJobProbe probe) : ISfcJob
{
    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        probe.Count();
        context.ReportProgress(7, 70, "waiting for the gate");
        probe.Started.TrySetResult();
        await probe.Gate.WaitAsync(cancellationToken);
        context.ReportProgress(70, 70, "done");
    }
}
