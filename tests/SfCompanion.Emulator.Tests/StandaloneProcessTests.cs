using System.Diagnostics;

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
}
