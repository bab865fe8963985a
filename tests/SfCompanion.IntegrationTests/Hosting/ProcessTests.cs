using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>The service and the demo as their own processes, started from another directory and stopped by signals.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-process-").FullName;

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

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Demo_stops_on_a_signal_once_it_serves(string signal)
    {
        using var demo = Start(["demo", "--leads", "1000", "--port", FreePort(), "--data", "."]);
        await demo.WaitForLineAsync("Serving until Ctrl+C.");

        Signal(demo.Process, signal);
        var exitCode = await demo.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{demo.Output}");
        Assert.Contains("Stopping.", demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_started_from_another_directory_reads_its_appsettings_and_keeps_data_in_the_current_directory()
    {
        var port = FreePort();
        using var service = Start(["--urls", $"http://127.0.0.1:{port}"]);
        await service.WaitForLineAsync("Now listening on");
        using (var http = new HttpClient())
        {
            var live = await http.GetAsync($"http://127.0.0.1:{port}/health/live", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // The console's stylesheet is served (a browser asks for it compressed) outside Development too.
        using (var browserLike = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All }))
        {
            var signIn = await browserLike.GetStringAsync($"http://127.0.0.1:{port}/console/signin", TestContext.Current.CancellationToken);
            var css = System.Text.RegularExpressions.Regex.Match(signIn, "href=\"(/console/console[^\"]*\\.css)\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(css), signIn);
            var stylesheet = await browserLike.GetStringAsync($"http://127.0.0.1:{port}{css}", TestContext.Current.CancellationToken);
            Assert.Contains(":root", stylesheet, StringComparison.Ordinal);
        }

        Signal(service.Process, "TERM");
        var exitCode = await service.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit code {exitCode}{Environment.NewLine}{service.Output}");
        // appsettings.json silences per-request logs ("Microsoft.AspNetCore": "Warning"); without it they would show.
        Assert.DoesNotContain("Request starting", service.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "sfcompanion.db")), service.Output);
    }

    private RunningProcess Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SfCompanion.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new RunningProcess(Process.Start(start)!);
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static string FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A started process whose output is collected line by line; killed if a test leaves it running.</summary>
    private sealed class RunningProcess : IDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly Lock _gate = new();
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        public RunningProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_gate)
                {
                    return _output.ToString();
                }
            }
        }

        public async Task WaitForLineAsync(string text)
        {
            TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                _waits.Add((text, seen));
            }

            // A safety net so a regression fails instead of hanging the run.
            var done = await Task.WhenAny(seen.Task, Process.WaitForExitAsync(TestContext.Current.CancellationToken), Task.Delay(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken));
            Assert.True(done == seen.Task, $"'{text}' never appeared{Environment.NewLine}{Output}");
        }

        public async Task<int> WaitForExitAsync()
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromSeconds(60));
            await Process.WaitForExitAsync(patience.Token);
            Process.WaitForExit(); // flushes the asynchronous output readers
            return Process.ExitCode;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }

        private void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _output.AppendLine(line);
                foreach (var wait in _waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    wait.Seen.TrySetResult();
                    _waits.Remove(wait);
                }
            }
        }
    }
}
