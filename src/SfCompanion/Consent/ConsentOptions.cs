using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Consent;

/// <summary>Consent pages, proof, Salesforce fields and retention.</summary>
public sealed class ConsentOptions : ISectionOptions
{
    public static string SectionName => "Consent";

    /// <summary>Public address of the consent pages (e.g. <c>https://consent.acme.fr</c>), used in the links SfCompanion issues. Empty = the address of the request.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Page language when the browser asks for neither French nor English: <c>fr</c> or <c>en</c>.</summary>
    [RegularExpression("^(fr|en)$", ErrorMessage = "must be 'fr' or 'en'")]
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>The purpose recorded with consents given on the pages.</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{1,40}$", ErrorMessage = "must be 1-40 lower-case letters, digits or '-'")]
    public string Purpose { get; set; } = "marketing";

    /// <summary>How long a rendered form can be submitted (its anti-forgery token's lifetime).</summary>
    [Range(1, 168)]
    public int FormLifetimeHours { get; set; } = 12;

    /// <summary>Lifetime of double opt-in confirmation links issued through the API.</summary>
    [Range(1, 90)]
    public int ConfirmationLinkDays { get; set; } = 7;

    /// <summary>Subjects without interaction for this long have SfCompanion's data about them anonymised (3 years by default).</summary>
    [Range(30, 3650)]
    public int RetentionDays { get; set; } = 1095;

    /// <summary>Optional checkbox field set to true on leads/contacts without interaction for <see cref="RetentionDays"/>, for review in Salesforce (e.g. <c>Sfc_Retention_Review__c</c>). Empty = no flag.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9_]{0,38}__c$", ErrorMessage = "must be a custom field API name such as 'Sfc_Retention_Review__c'")]
    public string? RetentionFlagField { get; set; }

    /// <summary>Checkbox field holding the SMS opt-out on Lead and Contact.</summary>
    [Required]
    public string SmsOptOutField { get; set; } = "Sfc_Sms_Opt_Out__c";

    /// <summary>Date/time field holding the last consent change on Lead and Contact.</summary>
    [Required]
    public string ChangedField { get; set; } = "Sfc_Consent_Changed__c";

    /// <summary>Also write the objection to all prospection to the linked Individual (<c>HasOptedOutSolicit</c>) when the record has an <c>IndividualId</c> in the mirror.</summary>
    public bool WriteIndividual { get; set; }

    /// <summary>
    /// Also keep one <c>ContactPointTypeConsent</c> per contact point type (Email, Phone) on the linked Individual, with
    /// <c>PrivacyConsentStatus</c>, <c>CaptureDate</c>, <c>CaptureSource</c> and <c>DoubleConsentCaptureDate</c>, upserted by
    /// the external id <c>Sfc_Key__c</c> (a 80-character text field to add to the object).
    /// </summary>
    public bool WriteContactPointTypeConsent { get; set; }

    /// <summary>Optional <c>DataUsePurpose</c> id set on the ContactPointTypeConsent records.</summary>
    [RegularExpression("^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$", ErrorMessage = "must be a Salesforce DataUsePurpose id (15 or 18 letters and digits)")]
    public string? DataUsePurposeId { get; set; }

    /// <summary>Secret salt (base64, 32+ bytes) for IP and suppression hashes. Empty = generated once and kept in the store.</summary>
    [Secret]
    [MinLength(44, ErrorMessage = "must be at least 32 random bytes, base64-encoded (e.g. from 'openssl rand -base64 32')")]
    public string? HashSalt { get; set; }
}
