using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SfCompanion.IntegrationTests.TestHost;

/// <summary>
/// The service (<c>dotnet SfCompanion.dll</c> with the given arguments) as a child process of the test, its output
/// collected line by line; signalled (<see cref="Signal"/>, <see cref="StopAsync"/>), killed (<see cref="Kill"/>), and
/// killed on dispose if a test leaves it running.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    private ServiceProcess(Process process, string? baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary><c>http://127.0.0.1:port</c> when started by <see cref="StartAsync"/>.</summary>
    public string? BaseUrl { get; }

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

    public IReadOnlyList<string> Lines => Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Starts the service in <paramref name="workingDirectory"/> with <paramref name="args"/>, without waiting for anything.</summary>
    public static ServiceProcess Start(string workingDirectory, IEnumerable<string> args) => Start(workingDirectory, args, null);

    /// <summary>Starts the service on <paramref name="port"/> in <paramref name="workingDirectory"/> and waits until it listens.</summary>
    public static async Task<ServiceProcess> StartAsync(string workingDirectory, int port, IEnumerable<string> args)
    {
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var service = Start(workingDirectory, ["--urls", baseUrl, .. args], baseUrl);
        try
        {
            await service.WaitForLineAsync("Now listening on");
        }
        catch
        {
            service.Dispose();
            throw;
        }

        return service;
    }

    private static ServiceProcess Start(string workingDirectory, IEnumerable<string> args, string? baseUrl)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SfCompanion.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ServiceProcess(Process.Start(start)!, baseUrl);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written; fails if the process exits first.</summary>
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

    /// <summary>Sends a signal (<c>TERM</c>, <c>INT</c>…) if the process still runs: once it has exited its id may belong to another one.</summary>
    public void Signal(string signal)
    {
        if (Process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-" + signal, Process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: the process ends at once, nothing of it runs any more.</summary>
    public void Kill()
    {
        Process.Kill();
        Process.WaitForExit();
    }

    /// <summary>Waits (a minute at most) for the exit code, all output read.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(patience.Token);
        Process.WaitForExit(); // flushes the asynchronous output readers
        return Process.ExitCode;
    }

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public Task<int> StopAsync()
    {
        Signal("TERM");
        return WaitForExitAsync();
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
