using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>
/// The official Salesforce CLI (<c>sf</c>, from npm, run with node) works unchanged against the standalone emulator:
/// access-token login, REST and Bulk API 2.0 queries, record create/get/update/delete, describe, list and limits.
/// Without node the test is skipped, except in CI (CI=true) where a missing node or a failed install is a failure.
/// </summary>
public sealed class SfCliFidelityTests
{
    private static readonly string CliDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "sfcli"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sf_cli_logs_in_queries_with_rest_and_bulk_edits_records_describes_and_reads_limits()
    {
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (node is null || npm is null)
        {
            Assert.False(ci, "node and npm are required in CI");
            Assert.Skip("node/npm not installed");
        }

        var sf = Path.Combine(CliDirectory, "node_modules", ".bin", "sf");
        if (!File.Exists(sf))
        {
            // npm ci reuses ~/.npm, so only the first install on a machine downloads the CLI.
            var (installCode, installOutput) = await RunAsync(npm!, ["ci", "--no-audit", "--no-fund", "--prefer-offline"], CliDirectory, []);
            if (installCode != 0 && !ci)
            {
                Assert.Skip("the Salesforce CLI could not be installed (npm ci failed; network?): " + installOutput[..Math.Min(500, installOutput.Length)]);
            }

            Assert.True(installCode == 0, "npm ci of the Salesforce CLI failed:\n" + installOutput);
        }

        using var home = new TempHome();
        await using var emulator = await StandaloneEmulator.StartAsync();
        var token = await emulator.TokenAsync();
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home.Path,
            ["PATH"] = Path.GetDirectoryName(sf) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["SF_ACCESS_TOKEN"] = token,
            ["SF_DISABLE_TELEMETRY"] = "true",
            ["SF_AUTOUPDATE_DISABLE"] = "true",
            ["SF_USE_GENERIC_UNIX_KEYCHAIN"] = "true",
            ["SF_SKIP_NEW_VERSION_CHECK"] = "true",
        };

        async Task<JsonElement> Sf(params string[] arguments)
        {
            var (code, output) = await RunAsync(sf, [.. arguments, "--json"], CliDirectory, environment);
            var json = output.IndexOf('{', StringComparison.Ordinal) is var start and >= 0 ? output[start..] : output;
            JsonElement result;
            try
            {
                result = JsonDocument.Parse(json).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"sf {string.Join(' ', arguments)} printed no JSON (exit {code}):\n{output}");
            }

            Assert.True(code == 0 && result.GetProperty("status").GetInt32() == 0, $"sf {string.Join(' ', arguments)} failed (exit {code}):\n{output}");
            return result.GetProperty("result");
        }

        var login = await Sf("org", "login", "access-token", "--instance-url", emulator.Url, "--alias", "emu", "--no-prompt");
        Assert.Equal("admin@sfcompanion.demo", login.GetProperty("username").GetString());

        var query = await Sf("data", "query", "--query", "SELECT Id, LastName, Owner.Name FROM Lead ORDER BY LastName LIMIT 5", "--target-org", "emu");
        Assert.Equal(5, query.GetProperty("totalSize").GetInt32());
        Assert.False(string.IsNullOrEmpty(query.GetProperty("records")[0].GetProperty("Owner").GetProperty("Name").GetString()));

        var csv = Path.Combine(home.Path, "leads.csv");
        var export = await Sf("data", "export", "bulk", "--query", "SELECT Id, LastName, Company FROM Lead", "--output-file", csv, "--wait", "5", "--target-org", "emu");
        Assert.Equal(1_000, export.GetProperty("totalSize").GetInt32());
        Assert.Equal(1_001, File.ReadLines(csv).Count(l => l.Length > 0));

        var created = await Sf("data", "create", "record", "--sobject", "Lead", "--values", "LastName='Cli Martin' Company=Acme", "--target-org", "emu");
        var id = created.GetProperty("id").GetString()!;
        await Sf("data", "update", "record", "--sobject", "Lead", "--record-id", id, "--values", "Company=Beta", "--target-org", "emu");
        var read = await Sf("data", "get", "record", "--sobject", "Lead", "--record-id", id, "--target-org", "emu");
        Assert.Equal(("Cli Martin", "Beta"), (read.GetProperty("LastName").GetString(), read.GetProperty("Company").GetString()));
        await Sf("data", "delete", "record", "--sobject", "Lead", "--record-id", id, "--target-org", "emu");
        var afterDelete = await Sf("data", "query", "--query", $"SELECT Id FROM Lead WHERE Id = '{id}'", "--target-org", "emu");
        Assert.Equal(0, afterDelete.GetProperty("totalSize").GetInt32());

        var describe = await Sf("sobject", "describe", "--sobject", "Lead", "--target-org", "emu");
        Assert.Contains(describe.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Email");
        var list = await Sf("sobject", "list", "--sobject", "all", "--target-org", "emu");
        Assert.Contains("Lead", list.EnumerateArray().Select(e => e.GetString()));

        var limits = await Sf("limits", "api", "display", "--target-org", "emu");
        var daily = limits.EnumerateArray().Single(l => l.GetProperty("name").GetString() == "DailyApiRequests");
        Assert.Equal(100_000, daily.GetProperty("max").GetInt32());
        Assert.InRange(daily.GetProperty("remaining").GetInt32(), 1, 99_999);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>A throw-away HOME, so the CLI's auth files and logs never touch the user's.</summary>
    private sealed class TempHome : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("sfc-sf-cli-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The emulator as its own process (<c>SfCompanion.Emulator.dll</c>), with 1,000 demo leads.</summary>
    private sealed class StandaloneEmulator : IAsyncDisposable
    {
        private readonly Process _process;

        private StandaloneEmulator(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public static async Task<StandaloneEmulator> StartAsync()
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SfCompanion.Emulator.dll"), "--urls", "http://127.0.0.1:0", "--leads", "1000" })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(Ct);
            }
            while (line is not null && !line.StartsWith("Salesforce emulator listening on ", StringComparison.Ordinal));

            Assert.NotNull(line);
            _ = process.StandardOutput.ReadToEndAsync(Ct);
            return new StandaloneEmulator(process, line["Salesforce emulator listening on ".Length..].Trim());
        }

        public async Task<string> TokenAsync()
        {
            using var http = new HttpClient();
            using var response = await http.PostAsync(Url + "/services/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "sfc-demo-client",
                ["client_secret"] = "sfc-demo-secret",
            }), Ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await kill!.WaitForExitAsync();
                }

                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(patience.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                }
            }

            _process.Dispose();
        }
    }
}
