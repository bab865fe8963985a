namespace SfCompanion.Sync;

/// <summary>A sync pass holding the mirror (<see cref="Mirror.BeginPassAsync"/>); disposing it lets the next one start.</summary>
public sealed class MirrorPass : IDisposable
{
    private readonly Action _release;
    private readonly TaskCompletionSource _ended;
    private int _disposed;

    internal MirrorPass(Action release, TaskCompletionSource ended)
    {
        _release = release;
        _ended = ended;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release();
            _ended.TrySetResult();
        }
    }
}
