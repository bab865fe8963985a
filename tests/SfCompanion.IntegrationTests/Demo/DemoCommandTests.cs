using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SfCompanion.IntegrationTests.Demo;

/// <summary>The README's main command, run as a newcomer runs it (its own process), on a small org.</summary>
public sealed partial class DemoCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-demo-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp folder is cleaned anyway.
        }
    }

    [Fact]
    public async Task Demo_keeps_other_files_in_its_data_folder()
    {
        var other = Path.Combine(_directory, "notes.txt");
        await File.WriteAllTextAsync(other, "mine", TestContext.Current.CancellationToken);
        var (exitCode, output) = await RunDemoAsync(["--leads", "1000", "--exit", "--data", "."]);

        Assert.True(exitCode == 0, output);
        Assert.Equal("mine", await File.ReadAllTextAsync(other, TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(_directory, "sfcompanion.db")));
    }

    [Fact]
    public async Task Demo_refuses_bad_options_with_the_usage()
    {
        var (exitCode, output) = await RunDemoAsync(["--leads", "12"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--leads 12: must be between 1000 and 1000000.", output);
        Assert.Contains("Usage: SfCompanion demo", output);
    }

    [Fact]
    public async Task Demo_syncs_writes_back_tracks_clicks_and_prints_a_working_summary()
    {
        var (exitCode, output) = await RunDemoAsync(["--leads", "2000", "--exit", "--data", Path.Combine(_directory, "store")]);

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{output}");
        Assert.Matches(@"Lead\s+2,000 records", output);
        Assert.Contains("Same round again:", output);
        Assert.Matches(@"Same round again: [\d,]+ values unchanged, 0 API calls\.", output);
        // The VIP rule: four what-ifs, saved, run, written back; a second run has nothing to write.
        var vip = System.Text.RegularExpressions.Regex.Match(output, @"VIP what-ifs:\s+([\d,]+) → ([\d,]+) → ([\d,]+) → ([\d,]+); ([\d,]+) contacts flagged VIP in Salesforce");
        Assert.True(vip.Success, output);
        Assert.Equal(vip.Groups[4].Value, vip.Groups[5].Value);
        Assert.NotEqual("0", vip.Groups[5].Value);
        Assert.Contains("Same rule again: 0 values to write", output, StringComparison.Ordinal);
        // Rotation: the best suspects shared 2-1-1 among three reps (the fourth is on leave), with their tasks.
        var rotation = System.Text.RegularExpressions.Regex.Match(output, @"Rotation:\s+(\d+) suspects assigned \(.*\), (\d+) follow-up tasks in Salesforce");
        Assert.True(rotation.Success, output);
        Assert.Equal(rotation.Groups[1].Value, rotation.Groups[2].Value);
        Assert.Contains(": on leave", output, StringComparison.Ordinal);
        // Scoring: a routine's market, bands and flow, written back.
        var scoring = System.Text.RegularExpressions.Regex.Match(output, @"Scoring:\s+([\d,]+) leads in the market \(cold ([\d,]+), cool ([\d,]+), warm ([\d,]+), hot ([\d,]+)\), ([\d,]+) suspects in the flow, ([\d,]+) scored in Salesforce");
        Assert.True(scoring.Success, output);
        Assert.Equal(scoring.Groups[1].Value, scoring.Groups[7].Value);
        Assert.Equal(int.Parse(scoring.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture),
            Enumerable.Range(2, 4).Sum(g => int.Parse(scoring.Groups[g].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Matches("Job click-aggregation: Succeeded", output);
        Assert.Matches("Job writeback: Succeeded", output);
        // Twelve people clicked like people; scanners and previews did not count.
        Assert.Matches(@"from 12 people", output);
        Assert.Matches(@"flagged: \d+ honeypot, \d+ honeypot-window, 2 scanner-user-agent", output);
        var added = Added().Match(output);
        Assert.True(added.Success, output);
        Assert.InRange(int.Parse(added.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 12);
        Assert.Contains("12 follow-up tasks in all", output);
        Assert.Matches(@"Admin key:\s+sfc_demo_[0-9a-f]{32}", output);
        Assert.True(File.Exists(Path.Combine(_directory, "store", "sfcompanion.db")));
    }

    /// <summary>Runs <c>SfCompanion demo</c> in its own process, in the test's folder, on a free port; stdout then stderr.</summary>
    private async Task<(int ExitCode, string Output)> RunDemoAsync(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SfCompanion.dll"));
        start.ArgumentList.Add("demo");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + Environment.NewLine + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"with status 'Clicked' \(\+(\d+) since the clicks above\)")]
    private static partial Regex Added();
}
