using Microsoft.Extensions.Options;
using SfCompanion.Sync;

namespace SfCompanion.Consent;

/// <summary>The Salesforce fields consent writes with the current configuration (see <see cref="ConsentService"/>).</summary>
internal sealed class ConsentWrittenFields(IOptions<ConsentOptions> options) : IWrittenFields
{
    public string Capability => "Consent";

    public IEnumerable<WrittenField> Fields()
    {
        var o = options.Value;
        foreach (var person in new[] { "Lead", "Contact" })
        {
            yield return new(person, "HasOptedOutOfEmail", Capability, "boolean");
            yield return new(person, "DoNotCall", Capability, "boolean");
            yield return new(person, o.SmsOptOutField, Capability, "boolean");
            yield return new(person, o.ChangedField, Capability, "datetime");
            if (o.RetentionFlagField is { Length: > 0 } flag)
            {
                yield return new(person, flag, Capability, "boolean");
            }
        }

        if (o.WriteIndividual)
        {
            yield return new("Individual", "HasOptedOutSolicit", Capability, "boolean");
        }

        if (o.WriteContactPointTypeConsent)
        {
            yield return new("ContactPointTypeConsent", "Sfc_Key__c", Capability, "string", OnCreate: true);
            yield return new("ContactPointTypeConsent", "Name", Capability, "string");
            yield return new("ContactPointTypeConsent", "PartyId", Capability, "reference");
            yield return new("ContactPointTypeConsent", "ContactPointType", Capability, "picklist");
            yield return new("ContactPointTypeConsent", "PrivacyConsentStatus", Capability, "picklist");
            yield return new("ContactPointTypeConsent", "CaptureDate", Capability, "datetime");
            yield return new("ContactPointTypeConsent", "CaptureSource", Capability, "string");
            yield return new("ContactPointTypeConsent", "CaptureContactPointType", Capability, "picklist");
            yield return new("ContactPointTypeConsent", "DoubleConsentCaptureDate", Capability, "datetime");
            if (o.DataUsePurposeId is { Length: > 0 })
            {
                yield return new("ContactPointTypeConsent", "DataUsePurposeId", Capability, "reference");
            }
        }
    }
}
