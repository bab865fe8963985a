using SfCompanion.Sync;

namespace SfCompanion.Rules;

/// <summary>
/// The Salesforce fields rules write. A rule writes the targets its author names (checked against the org's schema when
/// it is saved); declared here are the VIP rule's default targets on leads and contacts, which <c>connected-app/</c> deploys.
/// </summary>
internal sealed class RulesWrittenFields : IWrittenFields
{
    /// <summary>The targets of the VIP rule the documentation and the demo use.</summary>
    public static RuleTargets VipTargets { get; } = new() { Flag = "Sfc_Vip__c", Reasons = "Sfc_Vip_Reasons__c", Since = "Sfc_Vip_Since__c", Until = "Sfc_Vip_Until__c" };

    public string Capability => "Rules";

    public IEnumerable<WrittenField> Fields()
    {
        foreach (var person in new[] { "Lead", "Contact" })
        {
            yield return new(person, VipTargets.Flag!, Capability, "boolean");
            yield return new(person, VipTargets.Reasons!, Capability, "textarea");
            yield return new(person, VipTargets.Since!, Capability, "date");
            yield return new(person, VipTargets.Until!, Capability, "date");
        }
    }
}
