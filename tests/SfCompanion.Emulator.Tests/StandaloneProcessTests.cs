using System.Diagnostics;
using System.Net.Http.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>The standalone emulator as its own process: it starts, serves, and stops cleanly on SIGTERM.</summary>
public sealed class StandaloneProcessTests
{
    [Fact]
    public async Task Sigterm_stops_the_standalone_emulator_with_exit_code_zero()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SfCompanion.Emulator.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        using var process = Process.Start(start)!;
        try
        {
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(ct);
            }
            while (line is not null && !line.StartsWith("Salesforce emulator listening on ", StringComparison.Ordinal));

            Assert.NotNull(line);
            using var http = new HttpClient();
            var discovery = await http.GetAsync(line["Salesforce emulator listening on ".Length..].Trim() + "/services/data/", ct);
            Assert.True(discovery.IsSuccessStatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync(ct);
            }

            // A safety net so a regression fails instead of hanging the run.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            patience.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(patience.Token);
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Stopping.", await process.StandardOutput.ReadToEndAsync(ct), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Faults_switched_on_from_the_command_line_answer_503_and_the_control_endpoint_clears_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SfCompanion.Emulator.dll"), "--urls", "http://127.0.0.1:0", "--fault-503-rate", "1", "--fault-lock-rate", "0.5", "--token-lifetime-seconds", "60", "--control", "true" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync(ct);
            }
            while (line is not null && !line.StartsWith("Salesforce emulator listening on ", StringComparison.Ordinal));

            Assert.NotNull(line);
            using var http = new HttpClient { BaseAddress = new Uri(line["Salesforce emulator listening on ".Length..].Trim()) };
            using var token = await http.PostAsync(new Uri("/services/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "sfc-demo-client",
                ["client_secret"] = "sfc-demo-secret",
            }), ct);
            var accessToken = (await token.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("access_token").GetString();
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);

            var faults = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/__emulator/faults", ct);
            Assert.Equal(0.5, faults.GetProperty("lockRate").GetDouble());
            using (var failed = await http.GetAsync(new Uri("/services/data/v62.0/limits", UriKind.Relative), ct))
            {
                Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            }

            using (var clear = await http.PostAsJsonAsync("/__emulator/faults", new { clear = true }, ct))
            {
                Assert.True(clear.IsSuccessStatusCode);
            }

            using var served = await http.GetAsync(new Uri("/services/data/v62.0/limits", UriKind.Relative), ct);
            Assert.Equal(System.Net.HttpStatusCode.OK, served.StatusCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
