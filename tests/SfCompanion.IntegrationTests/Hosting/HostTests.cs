using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.Hosting;

public sealed class HostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ready_reports_the_store_with_no_configuration_at_all()
    {
        using var host = new SfcTestHost().WithAppDefaults();
        var client = host.Anonymous;
        var response = await client.GetAsync("/health/ready", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var store = body.RootElement.GetProperty("checks").GetProperty("store");
        Assert.Equal("Sqlite", store.GetProperty("data").GetProperty("provider").GetString());
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "sfcompanion.db")));
    }

    [Fact]
    public async Task Live_metrics_openapi_and_reference_page_are_served()
    {
        using var host = new SfcTestHost().WithAppDefaults();
        var client = host.Anonymous;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", Ct)).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json", Ct);
        Assert.Contains("\"openapi\"", openApi, StringComparison.Ordinal);
        var metrics = await client.GetStringAsync("/metrics", Ct);
        Assert.Contains("target_info{service_name=\"SfCompanion\"", metrics, StringComparison.Ordinal);
        var docs = await client.GetAsync("/docs/", Ct);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("SfCompanion API", await docs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_route_gets_problem_details()
    {
        using var host = new SfcTestHost().WithAppDefaults();
        var client = host.Anonymous;
        var response = await client.GetAsync("/api/does-not-exist", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invalid_configuration_stops_the_process_with_every_problem_listed()
    {
        var (exitCode, output) = await RunServiceAsync(
            "--Storage:Provider=Mongo", "--role", "both", "--Storage:Sqlite:BusyTimeoutMilliseconds=3");
        Assert.Equal(2, exitCode);
        Assert.Contains("3 problem(s)", output, StringComparison.Ordinal);
        Assert.Contains("Storage:Provider = 'Mongo'", output, StringComparison.Ordinal);
        Assert.Contains("Hosting:Role = 'both'", output, StringComparison.Ordinal);
        Assert.Contains("Storage:Sqlite:BusyTimeoutMilliseconds = '3'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_redis_stops_the_process_naming_the_setting()
    {
        var (exitCode, output) = await RunServiceAsync("--store", "Redis", "--Storage:Redis:ConnectionString=127.0.0.1:1,connectTimeout=500");
        Assert.Equal(2, exitCode);
        Assert.Contains("Storage:Redis:ConnectionString", output, StringComparison.Ordinal);
        Assert.Contains("unreachable", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Locked_sqlite_file_stops_the_process_naming_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("sfc-lock-").FullName;
        var path = Path.Combine(directory, "locked.db");
        using (var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            holder.Open();
            using var command = holder.CreateCommand();
            command.CommandText = "PRAGMA locking_mode = EXCLUSIVE; CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);";
            command.ExecuteNonQuery();
            var (exitCode, output) = await RunServiceAsync($"--Storage:Sqlite:Path={path}", "--Storage:Sqlite:BusyTimeoutMilliseconds=200");
            Assert.Equal(2, exitCode);
            Assert.Contains("Storage:Sqlite:Path", output, StringComparison.Ordinal);
            Assert.Contains("locked", output, StringComparison.Ordinal);
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Runs the real executable (not the in-process host) so exit codes and console output are what a user sees.</summary>
    private static async Task<(int ExitCode, string Output)> RunServiceAsync(params string[] args)
    {
        var workDir = Directory.CreateTempSubdirectory("sfc-run-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Directory.Delete(workDir, recursive: true);
        return (process.ExitCode, await stdout + await stderr);
    }
}
