namespace SfCompanion.Storage;

/// <summary>One storage adapter: all the ports plus health.</summary>
public interface IStore : IDocumentStore, ILogStore, ILeaseStore, ICounterStore
{
    string ProviderName { get; }

    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}
