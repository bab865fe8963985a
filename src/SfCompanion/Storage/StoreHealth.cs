namespace SfCompanion.Storage;

/// <summary>What <c>/health/ready</c> reports about the store.</summary>
public sealed record StoreHealth(bool Reachable, bool Durable, string Description);
