namespace SfCompanion.Admin;

/// <summary>Receives the generated bootstrap key, the one time it exists in clear.</summary>
public interface IBootstrapKeyAnnouncer
{
    void Announce(CreatedApiKey key);
}
