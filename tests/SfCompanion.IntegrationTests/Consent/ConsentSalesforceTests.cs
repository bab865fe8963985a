using Microsoft.Extensions.DependencyInjection;
using System.Net;
using SfCompanion.Consent;
using SfCompanion.IntegrationTests.TestHost;

namespace SfCompanion.IntegrationTests.Consent;

/// <summary>Consent against an emulated org: writeback through the outbox, monotonic opt-out, Salesforce imports, outage.</summary>
public sealed class ConsentSalesforceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FormUrlEncodedContent OneClickBody() => new([new("List-Unsubscribe", "One-Click")]);

    private static async Task<HttpResponseMessage> PostPreferenceAsync(SfcTestHost host, string lead, string change) =>
        await host.Anonymous.PostAsync("/p/" + host.Tokens.Issue(lead), new FormUrlEncodedContent(
            [new("change", change), new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]), Ct);

    [Fact]
    public async Task Page_choices_reach_salesforce_fields_through_the_outbox()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("anne@exemple.fr");

        await PostPreferenceAsync(host, lead, "phone:opt-out");
        await PostPreferenceAsync(host, lead, "sms:opt-out");
        var result = await host.WritebackAsync();

        Assert.Equal(1, result.Succeeded);
        Assert.Equal(true, host.OrgValue(lead, "DoNotCall"));
        Assert.Equal(true, host.OrgValue(lead, "Sfc_Sms_Opt_Out__c"));
        Assert.Equal(false, host.OrgValue(lead, "HasOptedOutOfEmail"));
        Assert.NotNull(host.OrgValue(lead, "Sfc_Consent_Changed__c"));
        Assert.Equal(0, await host.Outbox.CountAsync(Ct));

        await PostPreferenceAsync(host, lead, "prospection:opt-out");
        await host.WritebackAsync();
        Assert.Equal(true, host.OrgValue(lead, "HasOptedOutOfEmail"));
    }

    [Fact]
    public async Task The_consent_model_gets_one_contact_point_type_consent_per_type_kept_current_and_the_individual_flag()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true, new Dictionary<string, string?>
        {
            ["Consent:WriteIndividual"] = "true",
            ["Consent:WriteContactPointTypeConsent"] = "true",
        });
        var individual = host.Emulator.Data.Insert("Individual", new Dictionary<string, object?> { ["LastName"] = "Durand", ["FirstName"] = "Anne" });
        var lead = await host.AddLeadAsync("anne@exemple.fr", new Dictionary<string, object?> { ["IndividualId"] = individual });
        var other = await host.AddLeadAsync("paul@exemple.fr");

        // Email confirmed through a double opt-in link, then phone withdrawn on the page.
        var confirmUrl = host.Services.GetRequiredService<ConsentLinks>().Confirmation(lead, ConsentChannels.Email, requestBase: host.BaseUrl).Url;
        var confirmation = await host.Anonymous.PostAsync(new Uri(confirmUrl).PathAndQuery, new FormUrlEncodedContent([new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]), Ct);
        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        await PostPreferenceAsync(host, lead, "phone:opt-out");
        await PostPreferenceAsync(host, other, "email:opt-out");
        var first = await host.WritebackAsync();

        Assert.Equal(0, first.DeadLettered);
        var consents = host.Emulator.Data.Query($"SELECT Id, Name, PartyId, ContactPointType, PrivacyConsentStatus, CaptureDate, CaptureSource, CaptureContactPointType, DoubleConsentCaptureDate, Sfc_Key__c FROM ContactPointTypeConsent WHERE PartyId = '{individual}'")
            .ToDictionary(c => (string)c["ContactPointType"]!);
        Assert.Equal(2, consents.Count);
        Assert.Equal("OptIn", consents["Email"]["PrivacyConsentStatus"]);
        Assert.NotNull(consents["Email"]["DoubleConsentCaptureDate"]);
        Assert.Equal("SfCompanion confirmation-link", consents["Email"]["CaptureSource"]);
        Assert.Equal("Web", consents["Email"]["CaptureContactPointType"]);
        Assert.Equal(individual + "-Email", consents["Email"]["Sfc_Key__c"]);
        Assert.Equal("OptOut", consents["Phone"]["PrivacyConsentStatus"]);
        Assert.Equal("SfCompanion page", consents["Phone"]["CaptureSource"]);
        Assert.Null(consents["Phone"]["DoubleConsentCaptureDate"]);
        Assert.Equal(false, host.OrgValue(individual, "HasOptedOutSolicit"));
        // Without an Individual, only the lead's own fields are written.
        Assert.Empty(host.Emulator.Data.Query("SELECT Id FROM ContactPointTypeConsent WHERE PartyId = null"));
        Assert.Equal(true, host.OrgValue(other, "HasOptedOutOfEmail"));

        // An objection to all prospection: the same two records now say OptOut, by one-click from the mail client.
        var oneClick = await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), OneClickBody(), Ct);
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        await PostPreferenceAsync(host, lead, "prospection:opt-out");
        await host.WritebackAsync();

        var after = host.Emulator.Data.Query($"SELECT ContactPointType, PrivacyConsentStatus, CaptureSource FROM ContactPointTypeConsent WHERE PartyId = '{individual}'")
            .ToDictionary(c => (string)c["ContactPointType"]!);
        Assert.Equal(2, after.Count);
        Assert.Equal("OptOut", after["Email"]["PrivacyConsentStatus"]);
        Assert.Equal("OptOut", after["Phone"]["PrivacyConsentStatus"]);
        Assert.Equal(true, host.OrgValue(individual, "HasOptedOutSolicit"));
    }

    [Fact]
    public async Task Opt_out_is_monotonic_a_salesforce_opt_in_without_proof_is_recorded_as_conflict_and_undone()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("bruno@exemple.fr");
        await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), OneClickBody(), Ct);
        await host.WritebackAsync();
        Assert.Equal(true, host.OrgValue(lead, "HasOptedOutOfEmail"));

        // A rep (or an import) unticks "Email Opt Out" in Salesforce.
        host.Emulator.Data.Update(lead, new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = false });
        await host.SyncAsync();
        var import = await host.ImportFromSalesforceAsync();
        await host.WritebackAsync();

        Assert.Equal(1, import.Conflicts);
        Assert.Equal(true, host.OrgValue(lead, "HasOptedOutOfEmail"));
        Assert.True((await host.Consent.GetStateAsync(lead, Ct))!.IsOptedOut(ConsentChannels.Email));
        var conflict = Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events, e => e.Action == ConsentActions.Conflict);
        Assert.Equal(ConsentSources.Salesforce, conflict.Source);
        Assert.Contains("HasOptedOutOfEmail = false", conflict.Note, StringComparison.Ordinal);

        // The same Salesforce change is recorded once, however many passes see it.
        await host.ImportFromSalesforceAsync();
        Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events, e => e.Action == ConsentActions.Conflict);
    }

    [Fact]
    public async Task Opt_out_fields_the_sync_does_not_read_are_named_in_the_import_result_and_its_job_run()
    {
        // The SMS opt-out field left out of the synced Lead fields (Title in its place).
        await using var host = await ConsentTestHost.StartAsync(withOrg: true, new Dictionary<string, string?> { ["Sync:Objects:0:Fields:6"] = "Title" });
        await host.SyncAsync();

        var import = await host.ImportFromSalesforceAsync();
        Assert.Equal(["Lead.Sfc_Sms_Opt_Out__c"], import.NotSynced);

        var context = new SfCompanion.Jobs.JobRunContext("run-1", ConsentSalesforceImportJob.Name, "manual", null);
        await new ConsentSalesforceImportJob(host.Services.GetRequiredService<ConsentSalesforceImport>()).RunAsync(context, Ct);
        var warning = Assert.Single(context.Warnings);
        Assert.Contains("Lead.Sfc_Sms_Opt_Out__c", warning, StringComparison.Ordinal);
        Assert.Contains("Sync:Objects", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opt_out_made_in_salesforce_is_imported_into_the_log()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("chloe@exemple.fr");

        host.Emulator.Data.Update(lead, new Dictionary<string, object?> { ["DoNotCall"] = true });
        await host.SyncAsync();
        var import = await host.ImportFromSalesforceAsync();
        var writeback = await host.WritebackAsync();

        Assert.Equal(1, import.Imported);
        Assert.Empty(import.NotSynced);
        var state = await host.Consent.GetStateAsync(lead, Ct);
        Assert.True(state!.IsOptedOut(ConsentChannels.Phone));
        var e = Assert.Single((await host.Consent.ExportAsync(lead, Ct)).Events);
        Assert.Equal(ConsentSources.Salesforce, e.Source);
        Assert.Equal(ConsentChannels.Phone, e.Channel);
        Assert.Equal(true, host.OrgValue(lead, "DoNotCall"));
        Assert.NotNull(host.OrgValue(lead, "Sfc_Consent_Changed__c"));
        Assert.Equal(0, writeback.DeadLettered);

        var again = await host.ImportFromSalesforceAsync();
        Assert.Equal(0, again.Imported);
    }

    [Fact]
    public async Task A_newer_opt_in_proof_wins_over_an_older_salesforce_opt_out()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("david@exemple.fr", new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = true });
        await host.ImportFromSalesforceAsync();
        Assert.True((await host.Consent.GetStateAsync(lead, Ct))!.IsOptedOut(ConsentChannels.Email));

        // The person confirms through a double opt-in link, after the Salesforce change.
        var confirm = host.Services.GetService(typeof(ConsentLinks)) is ConsentLinks links ? links.Confirmation(lead, ConsentChannels.Email, requestBase: host.BaseUrl).Url : null;
        var path = new Uri(confirm!).PathAndQuery;
        var posted = await host.Anonymous.PostAsync(path, new FormUrlEncodedContent([new("_form", host.Tokens.IssueFor(lead, ConsentPages.FormPurpose, TimeSpan.FromHours(1)))]), Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // A sync that still shows the older opt-out (the writeback has not run yet) does not undo the newer proof.
        await host.SyncAsync();
        await host.ImportFromSalesforceAsync();
        await host.WritebackAsync();

        var state = await host.Consent.GetStateAsync(lead, Ct);
        Assert.True(state!.IsOptedIn(ConsentChannels.Email));
        Assert.NotNull(state.Channels[ConsentChannels.Email].DoubleOptInAt);
        Assert.Equal(false, host.OrgValue(lead, "HasOptedOutOfEmail"));
    }

    [Fact]
    public async Task During_an_outage_the_opt_out_is_confirmed_and_honoured_at_once_then_written_back()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("emma@exemple.fr");
        host.Emulator.Faults.FailNextRequests(10_000, 503);

        var response = await host.Anonymous.PostAsync("/u/" + host.Tokens.Issue(lead), OneClickBody(), Ct);
        var down = await host.WritebackAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await host.Consent.IsOptedOutAsync(lead, ConsentChannels.Email, Ct));
        Assert.NotNull(down.StoppedBecause);
        Assert.Equal(1, await host.Outbox.CountAsync(Ct));
        Assert.Equal(false, host.OrgValue(lead, "HasOptedOutOfEmail"));

        host.Emulator.Faults.Clear();
        var back = await host.WritebackAsync();

        Assert.Equal(1, back.Succeeded);
        Assert.Equal(true, host.OrgValue(lead, "HasOptedOutOfEmail"));
        Assert.Equal(0, await host.Outbox.CountAsync(Ct));
    }

    [Fact]
    public async Task An_erased_person_synced_again_is_opted_out_again()
    {
        await using var host = await ConsentTestHost.StartAsync(withOrg: true);
        var lead = await host.AddLeadAsync("fanny@exemple.fr");
        await host.Consent.EraseAsync(lead, "request by email", Ct);
        await host.WritebackAsync();
        Assert.Equal(true, host.OrgValue(lead, "HasOptedOutOfEmail"));

        // A new duplicate lead with the same address arrives from Salesforce.
        var duplicate = await host.AddLeadAsync("Fanny@Exemple.fr");
        var import = await host.ImportFromSalesforceAsync();
        await host.WritebackAsync();

        Assert.Equal(1, import.Suppressed);
        Assert.Equal(true, host.OrgValue(duplicate, "HasOptedOutOfEmail"));
        Assert.Equal(true, host.OrgValue(duplicate, "DoNotCall"));
        Assert.Null(await host.Consent.GetStateAsync(duplicate, Ct));
    }
}
