using SfCompanion.Storage;

namespace SfCompanion.Soak;

/// <summary>The service's store opened by the harness (Redis with the run's key prefix, or the SQLite file), closed on dispose.</summary>
internal sealed class OpenedStore(IStore store) : IAsyncDisposable
{
    public IStore Store { get; } = store;

    public ValueTask DisposeAsync() => Store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
