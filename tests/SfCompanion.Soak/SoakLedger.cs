using System.Collections.Concurrent;

namespace SfCompanion.Soak;

/// <summary>What the harness did during one shape's run: the clicks it sent, the opt-outs confirmed, a rep's changes, the kills.</summary>
internal sealed class SoakLedger
{
    private long _clickNumber;

    public ConcurrentQueue<SentClick> Clicks { get; } = new();

    public ConcurrentQueue<ConsentAction> OptOuts { get; } = new();

    public ConcurrentQueue<RepAction> RepActions { get; } = new();

    /// <summary>When the worker (or the single process) was killed with SIGKILL.</summary>
    public ConcurrentQueue<DateTimeOffset> Kills { get; } = new();

    /// <summary>Consent page and redirect requests that failed for another reason than a killed process (status, exception).</summary>
    public ConcurrentQueue<string> RequestFailures { get; } = new();

    public long NextClickNumber() => Interlocked.Increment(ref _clickNumber);

    public IReadOnlySet<string> DeletedIds() => RepActions.Where(a => a.Kind == "delete").Select(a => a.RecordId).ToHashSet(StringComparer.Ordinal);
}
