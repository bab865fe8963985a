namespace SfCompanion.Hosting;

/// <summary>
/// Holds back the host's own error log until the host has started: a start that fails is reported once, as one line
/// (<see cref="StartupFailure"/>) or as the unhandled fault, not a second time as a logged stack trace.
/// </summary>
public sealed class StartupLogGate
{
    /// <summary>The host's own log category: "Hosting failed to start" with the stack trace comes from it.</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private volatile bool _started;

    /// <summary>Called when the host has started; from then on the host's errors are logged as usual.</summary>
    public void Open() => _started = true;

    /// <summary>The filter of <see cref="HostCategory"/>: information and above, except errors before the host started.</summary>
    public bool Allows(LogLevel level) => level >= LogLevel.Information && (_started || level < LogLevel.Error);
}
