using SfCompanion.Sync;

namespace SfCompanion.Consent;

/// <summary>
/// Runs the consent import after a sync that changed records, so an opt-out made in Salesforce reaches the consent log
/// within a sync interval; the import keeps its own schedule too.
/// </summary>
internal sealed class ConsentSyncFollower : ISyncFollower
{
    public string JobName => ConsentSalesforceImportJob.Name;

    public bool Enabled => true;
}
