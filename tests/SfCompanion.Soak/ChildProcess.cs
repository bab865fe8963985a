using System.Diagnostics;

namespace SfCompanion.Soak;

/// <summary>A process the harness starts (the emulator, a service replica, redis-server), its output in a log file.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly TaskCompletionSource<string> _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _waitFor;

    private ChildProcess(Process process, StreamWriter log, string name, string? waitFor)
    {
        _process = process;
        _log = log;
        Name = name;
        _waitFor = waitFor;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet <paramref name="arguments"/></c> (or another file), writing stdout and stderr to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> arguments, string logPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, string? waitFor = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process, log, name, waitFor);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first output line starting with the awaited prefix.</summary>
    public async Task<string> WaitForLineAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_firstLine.Task, Task.Delay(timeout));
        return done == _firstLine.Task ? await _firstLine.Task
            : throw new InvalidOperationException($"{Name} did not print '{_waitFor}' within {timeout.TotalSeconds:0} s (see its log).");
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crashed node or an OOM kill.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
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
        await _log.DisposeAsync();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.WriteLine(line);
        }

        if (_waitFor is not null && line.StartsWith(_waitFor, StringComparison.Ordinal))
        {
            _firstLine.TrySetResult(line[_waitFor.Length..].Trim());
        }
    }
}
