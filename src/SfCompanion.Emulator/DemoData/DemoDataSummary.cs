namespace SfCompanion.Emulator.DemoData;

/// <summary>How many records of each object a generation run inserted, plus a few facts demos like to show.</summary>
public sealed record DemoDataSummary
{
    public int Users { get; init; }

    /// <summary>Users with IsActive = false; they still own leads, contacts and accounts.</summary>
    public int InactiveUsers { get; init; }

    public int Accounts { get; init; }

    public int Campaigns { get; init; }

    public int CampaignMemberStatuses { get; init; }

    public int Leads { get; init; }

    /// <summary>Leads that repeat an earlier lead (same person, same email).</summary>
    public int DuplicateLeads { get; init; }

    public int Contacts { get; init; }

    public int CampaignMembers { get; init; }

    public int Opportunities { get; init; }

    public int Tasks { get; init; }

    public int Total => Users + Accounts + Campaigns + CampaignMemberStatuses + Leads + Contacts + CampaignMembers + Opportunities + Tasks;

    /// <summary>Counts per sObject type, in insertion (dependency) order.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CountsByObject =>
    [
        new("User", Users),
        new("Account", Accounts),
        new("Campaign", Campaigns),
        new("CampaignMemberStatus", CampaignMemberStatuses),
        new("Lead", Leads),
        new("Contact", Contacts),
        new("CampaignMember", CampaignMembers),
        new("Opportunity", Opportunities),
        new("Task", Tasks),
    ];
}
