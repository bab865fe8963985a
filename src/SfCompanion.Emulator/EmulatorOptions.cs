using System.Security.Cryptography;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator;

/// <summary>Configuration of an emulated org. Every property has a working default.</summary>
public sealed class EmulatorOptions
{
    public const string DefaultClientId = "sfc-demo-client";
    public const string DefaultClientSecret = "sfc-demo-secret";
    public const string DefaultUsername = "admin@sfcompanion.demo";

    /// <summary>Listening URL for standalone runs; null or a port of 0 picks a free port on 127.0.0.1.</summary>
    public string? Url { get; set; }

    public string ClientId { get; set; } = DefaultClientId;

    public string ClientSecret { get; set; } = DefaultClientSecret;

    /// <summary>Username of the integration user the client-credentials flow runs as (created at start).</summary>
    public string Username { get; set; } = DefaultUsername;

    /// <summary>Public key that verifies JWT bearer assertions (RS256). Null disables the JWT bearer flow.</summary>
    public RSA? JwtPublicKey { get; set; }

    /// <summary>Accepted <c>aud</c> values for JWT bearer assertions; the emulator's own base URL is always accepted.</summary>
    public IList<string> JwtAudiences { get; } = ["https://login.salesforce.com", "https://test.salesforce.com"];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Highest API version served; the versions list goes from 31.0 up to this.</summary>
    public int MaxApiVersion { get; set; } = 66;

    public int DailyApiRequestLimit { get; set; } = 100_000;

    /// <summary>Per-request latency drawn uniformly from [min, max] milliseconds; 0–0 disables it.</summary>
    public int LatencyMinMs { get; set; }

    public int LatencyMaxMs { get; set; }

    /// <summary>Leads to generate at start with the demo data generator (1,000 to 1,000,000); 0 keeps the org empty.</summary>
    public int DemoLeads { get; set; }

    public int Seed { get; set; } = 42;

    /// <summary>
    /// Serves the control endpoints under <c>/__emulator</c> (faults, API allowance, records changed as a rep would):
    /// off by default; the standalone process turns them on with <c>--control true</c>.
    /// </summary>
    public bool ControlEndpoints { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Custom fields added to the standard objects. Defaults to the fields SfCompanion writes.</summary>
    public IList<CustomFieldDefinition> CustomFields { get; } = [.. DefaultCustomFields()];

    /// <summary>
    /// The custom fields SfCompanion reads and writes, as <c>connected-app/</c> deploys them to a real org (a test checks
    /// that both lists agree).
    /// </summary>
    public static IEnumerable<CustomFieldDefinition> DefaultCustomFields()
    {
        foreach (var type in new[] { "Lead", "Contact" })
        {
            // Tracking
            yield return new(type, "Sfc_Tracking_Token__c", FieldType.String, ExternalId: true, Length: 64);
            yield return new(type, "Sfc_Email_Clicks__c", FieldType.Double);
            yield return new(type, "Sfc_Last_Click_Date__c", FieldType.DateTime);
            yield return new(type, "Sfc_Last_Clicked_Link__c", FieldType.Url);
            // Consent
            yield return new(type, "Sfc_Sms_Opt_Out__c", FieldType.Boolean);
            yield return new(type, "Sfc_Consent_Changed__c", FieldType.DateTime);
            yield return new(type, "Sfc_Retention_Review__c", FieldType.Boolean);
            // Rules (the VIP rule's default targets)
            yield return new(type, "Sfc_Vip__c", FieldType.Boolean);
            yield return new(type, "Sfc_Vip_Reasons__c", FieldType.TextArea, Length: 32768);
            yield return new(type, "Sfc_Vip_Since__c", FieldType.Date);
            yield return new(type, "Sfc_Vip_Until__c", FieldType.Date);
        }

        // Scoring and rotation (Lead, Contact and Account).
        foreach (var type in new[] { "Lead", "Contact", "Account" })
        {
            yield return new(type, "Sfc_Score__c", FieldType.Double);
            yield return new(type, "Sfc_Score_Band__c", FieldType.String, Length: 40);
            yield return new(type, "Sfc_Score_Reasons__c", FieldType.TextArea, Length: 32768);
            yield return new(type, "Sfc_Routine_Tag__c", FieldType.String, Length: 40);
            yield return new(type, "Sfc_Match_Date__c", FieldType.Date);
        }

        // Local key of the follow-up tasks SfCompanion creates, so re-sending one updates it instead of duplicating it.
        yield return new("Task", "Sfc_Key__c", FieldType.String, ExternalId: true, Length: 80);
        // Key of the consent records SfCompanion keeps per Individual and contact point type.
        yield return new("ContactPointTypeConsent", "Sfc_Key__c", FieldType.String, ExternalId: true, Length: 80);
        yield return new("Campaign", "Sfc_Unique_Clickers__c", FieldType.Double);
        yield return new("Campaign", "Sfc_Click_Rate__c", FieldType.Percent);
        yield return new("Campaign", "Sfc_Cost_Per_Won__c", FieldType.Currency);
    }
}
