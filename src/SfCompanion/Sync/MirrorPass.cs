namespace SfCompanion.Sync;

/// <summary>A sync pass or writeback run holding the mirror (<see cref="Mirror.BeginPassAsync"/>); disposing it lets the next one start.</summary>
public sealed class MirrorPass : IDisposable
{
    private readonly TaskCompletionSource _ended;

    internal MirrorPass(TaskCompletionSource ended) => _ended = ended;

    public void Dispose() => _ended.TrySetResult();
}
