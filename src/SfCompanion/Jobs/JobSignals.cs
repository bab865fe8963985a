namespace SfCompanion.Jobs;

/// <summary>Wakes the in-process worker loop at once (schedule edited, run requested) instead of at its next poll.</summary>
public sealed class JobSignals : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public void Dispose() => _wake.Dispose();

    /// <summary>Waits for a wake-up or until <paramref name="delay"/> has passed on <paramref name="time"/>.</summary>
    internal async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(delay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval elapsed.
        }
    }
}
