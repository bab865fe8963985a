namespace SfCompanion.Storage;

/// <summary>Leases with expiry: one holder at a time across replicas (e.g. one runner of a job).</summary>
public interface ILeaseStore
{
    /// <summary>Takes the lease if it is free, expired, or already held by <paramref name="owner"/> (which renews it).</summary>
    Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease if <paramref name="owner"/> holds it.</summary>
    Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default);

    /// <summary>The current holder, or null when free or expired.</summary>
    Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default);
}
