using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SfCompanion.IntegrationTests.TestHost;

/// <summary>
/// The service (<c>dotnet SfCompanion.dll</c>) as a child process of the test, on a free local port, with its output
/// collected; stopped with SIGTERM (<see cref="StopAsync"/>) or SIGKILL (<see cref="Kill"/>), killed on dispose.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, string baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl { get; }

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

    /// <summary>Starts the service in <paramref name="workingDirectory"/> with <paramref name="args"/> and waits until it listens.</summary>
    public static async Task<ServiceProcess> StartAsync(string workingDirectory, int port, IEnumerable<string> args)
    {
        var baseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SfCompanion.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var service = new ServiceProcess(Process.Start(start)!, baseUrl);
        // A safety net so a regression fails instead of hanging the run.
        var done = await Task.WhenAny(service._listening.Task, service.Process.WaitForExitAsync(TestContext.Current.CancellationToken),
            Task.Delay(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken));
        if (done != service._listening.Task)
        {
            var output = service.Output;
            service.Dispose();
            Assert.Fail($"The service did not start listening{Environment.NewLine}{output}");
        }

        return service;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: the process ends at once, nothing of it runs any more.</summary>
    public void Kill()
    {
        Process.Kill();
        Process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        // Only a process still running is signalled: once it has exited its id may already belong to another one.
        if (!Process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

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
        }

        if (line.Contains("Now listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}
