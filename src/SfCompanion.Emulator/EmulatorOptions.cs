using System.Security.Cryptography;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator;

/// <summary>Configuration of an emulated org. Every property has a working default.</summary>
public sealed class EmulatorOptions
{
    public const string DefaultClientId = "sfc-demo-client";
    public const string DefaultClientSecret = "sfc-demo-secret";
    public const string DefaultUsername = "admin@sfcompanion.demo";

    /// <summary>Password of every default <see cref="Users"/> entry (a demo org: it is printed on the login page).</summary>
    public const string DefaultUserPassword = "sfc-demo-password";

    /// <summary>The permission sets SfCompanion's console maps to its admin, marketer and viewer roles.</summary>
    public static IReadOnlyList<string> ConsolePermissionSets { get; } = ["SfCompanion_Admin", "SfCompanion_Marketer", "SfCompanion_Viewer"];

    /// <summary>Listening URL for standalone runs; null or a port of 0 picks a free port on 127.0.0.1.</summary>
    public string? Url { get; set; }

    public string ClientId { get; set; } = DefaultClientId;

    public string ClientSecret { get; set; } = DefaultClientSecret;

    /// <summary>Username of the integration user the client-credentials flow runs as (created at start).</summary>
    public string Username { get; set; } = DefaultUsername;

    /// <summary>
    /// People who sign in on the login page of the authorization code flow (<c>/services/oauth2/authorize</c>). Defaults:
    /// <see cref="DefaultUsers"/>.
    /// </summary>
    public IList<EmulatorUser> Users { get; } = [.. DefaultUsers()];

    /// <summary>
    /// Redirect URIs (callback URLs) the authorization code flow accepts, compared exactly. When empty, any http or https
    /// URL on a loopback host (<c>127.0.0.1</c>, <c>localhost</c>, <c>[::1]</c>) is accepted, whatever its port.
    /// </summary>
    public IList<string> CallbackUrls { get; } = [];

    /// <summary>
    /// The token request of the authorization code flow must carry the client secret (an External Client App's
    /// "Require secret for Web Server Flow"). When false, a request without a secret is accepted; a wrong one never is.
    /// </summary>
    public bool RequireSecretForWebServerFlow { get; set; } = true;

    /// <summary>An authorize request must carry a PKCE <c>code_challenge</c> (an External Client App's "Require PKCE").</summary>
    public bool RequirePkce { get; set; } = true;

    /// <summary>How long an authorization code may be exchanged (Salesforce: 15 minutes).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

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

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Custom fields added to the standard objects. Defaults to the fields SfCompanion writes.</summary>
    public IList<CustomFieldDefinition> CustomFields { get; } = [.. DefaultCustomFields()];

    /// <summary>
    /// The demo org's people: one per console role (its <c>SfCompanion_…</c> permission set) and one with none of them,
    /// all with <see cref="DefaultUserPassword"/>.
    /// </summary>
    public static IEnumerable<EmulatorUser> DefaultUsers()
    {
        yield return new("admin@demo.sfcompanion.test", "Alice", "Admin", DefaultUserPassword, ["SfCompanion_Admin"]);
        yield return new("marketer@demo.sfcompanion.test", "Mehdi", "Marketer", DefaultUserPassword, ["SfCompanion_Marketer"]);
        yield return new("viewer@demo.sfcompanion.test", "Valérie", "Viewer", DefaultUserPassword, ["SfCompanion_Viewer"]);
        yield return new("norole@demo.sfcompanion.test", "Noé", "Norole", DefaultUserPassword, []);
    }

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
