using Microsoft.Extensions.Options;
using SfCompanion.Sync;

namespace SfCompanion.Tracking;

/// <summary>The Salesforce fields click aggregation writes (see <see cref="ClickAggregator"/>).</summary>
internal sealed class TrackingWrittenFields(IOptions<TrackingOptions> options) : IWrittenFields
{
    public string Capability => "Tracking";

    public IEnumerable<WrittenField> Fields()
    {
        foreach (var person in new[] { "Lead", "Contact" })
        {
            yield return new(person, "Sfc_Tracking_Token__c", Capability, "string");
            yield return new(person, "Sfc_Email_Clicks__c", Capability, "double");
            yield return new(person, "Sfc_Last_Click_Date__c", Capability, "datetime");
            yield return new(person, "Sfc_Last_Clicked_Link__c", Capability, "url");
        }

        yield return new("Campaign", "Sfc_Unique_Clickers__c", Capability, "double");
        yield return new("Campaign", "Sfc_Click_Rate__c", Capability, "percent");
        yield return new("Campaign", "Sfc_Cost_Per_Won__c", Capability, "currency");
        yield return new("CampaignMember", "Status", Capability, "picklist");
        yield return new("CampaignMemberStatus", "HasResponded", Capability, "boolean");
        yield return new("CampaignMemberStatus", "CampaignId", Capability, "reference", OnCreate: true);
        yield return new("CampaignMemberStatus", "Label", Capability, "string", OnCreate: true);
        yield return new("CampaignMemberStatus", "SortOrder", Capability, "int", OnCreate: true);
        if (options.Value.CreateFollowUpTasks)
        {
            yield return new("Task", "Sfc_Key__c", Capability, "string", OnCreate: true);
            yield return new("Task", "Subject", Capability, "combobox");
            yield return new("Task", "Description", Capability, "textarea");
            yield return new("Task", "WhoId", Capability, "reference");
            yield return new("Task", "WhatId", Capability, "reference");
            yield return new("Task", "ActivityDate", Capability, "date");
            yield return new("Task", "Status", Capability, "picklist");
            yield return new("Task", "Priority", Capability, "picklist");
            yield return new("Task", "OwnerId", Capability, "reference");
        }
    }
}
