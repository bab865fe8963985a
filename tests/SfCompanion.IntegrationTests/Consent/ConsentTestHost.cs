using SfCompanion.Consent;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.IntegrationTests.Consent;

/// <summary>The consent tests' host and what they do with it.</summary>
public static class ConsentTestHost
{
    private static readonly string[] LeadFields =
        ["FirstName", "LastName", "Company", "Email", "HasOptedOutOfEmail", "DoNotCall", "Sfc_Sms_Opt_Out__c", "Sfc_Consent_Changed__c", "LastModifiedDate"];

    /// <summary>
    /// The service on a real port (a browser needs one), syncing the Lead fields consent reads; with
    /// <paramref name="withOrg"/>, connected to an emulated org. <paramref name="settings"/> come last.
    /// </summary>
    public static Task<SfcTestHost> StartAsync(bool withOrg = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new SfcTestHost().WithKestrel()
            .With("Sync:Objects:0:Name", "Lead")
            .With("Sync:Objects:0:IndexedFields:0", "Email");
        for (var i = 0; i < LeadFields.Length; i++)
        {
            host.With($"Sync:Objects:0:Fields:{i}", LeadFields[i]);
        }

        if (withOrg)
        {
            host.WithEmulator();
        }

        return host.With(settings ?? new Dictionary<string, string?>()).StartAsync();
    }

    extension(SfcTestHost host)
    {
        public ConsentService Consent => host.Get<ConsentService>();

        public RecipientTokens Tokens => host.Get<RecipientTokens>();

        public Outbox Outbox => host.Get<Outbox>();

        /// <summary>A lead in the org, synced into the mirror; returns its id.</summary>
        public async Task<string> AddLeadAsync(string email, IReadOnlyDictionary<string, object?>? extra = null)
        {
            var fields = new Dictionary<string, object?> { ["FirstName"] = "Camille", ["LastName"] = "Martin", ["Company"] = "Société Test", ["Email"] = email };
            foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
            {
                fields[key] = value;
            }

            var id = host.Emulator.Data.Insert("Lead", fields);
            await host.SyncAsync();
            return id;
        }

        public Task SyncAsync() => host.Get<SyncService>().SyncObjectAsync("Lead", cancellationToken: TestContext.Current.CancellationToken);

        public Task<WritebackResult> WritebackAsync() => host.Get<WritebackService>().RunAsync(cancellationToken: TestContext.Current.CancellationToken);

        public Task<ConsentImportResult> ImportFromSalesforceAsync() =>
            host.Get<ConsentSalesforceImport>().RunAsync(cancellationToken: TestContext.Current.CancellationToken);

        public object? OrgValue(string id, string field) => host.Emulator.Data.Get(id)![field];
    }
}
