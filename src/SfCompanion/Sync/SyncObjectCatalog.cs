using Microsoft.Extensions.Options;

namespace SfCompanion.Sync;

/// <summary>A field a capability needs in the mirror, added to the object's synced fields whatever the configuration says.</summary>
public sealed record SyncFieldRequirement(string Object, string Field, string Reason);

/// <summary>
/// Supplies <see cref="SyncFieldRequirement"/>s at start (e.g. only when an option is on). Register with
/// <c>services.AddSingleton&lt;ISyncFieldSource, …&gt;()</c>.
/// </summary>
public interface ISyncFieldSource
{
    IEnumerable<SyncFieldRequirement> RequiredFields();
}

/// <summary>The objects the mirror holds: configured ones, or the defaults the capabilities need.</summary>
public sealed class SyncObjectCatalog
{
    private readonly Dictionary<string, SyncObjectOptions> _byName;

    public SyncObjectCatalog(IOptions<SyncOptions> options, IEnumerable<ISyncFieldSource>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var objects = options.Value.Objects.Count > 0 ? options.Value.Objects : Defaults();
        var required = (sources ?? []).SelectMany(s => s.RequiredFields()).ToList();
        Objects = objects.Select(o => Complete(o, required.Where(r => string.Equals(r.Object, o.Name, StringComparison.OrdinalIgnoreCase)).Select(r => r.Field))).ToList();
        _byName = Objects.ToDictionary(o => o.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Objects in dependency order (parents before children).</summary>
    public IReadOnlyList<SyncObjectOptions> Objects { get; }

    public SyncObjectOptions? Find(string name) => _byName.GetValueOrDefault(name);

    private static SyncObjectOptions Complete(SyncObjectOptions o, IEnumerable<string> required)
    {
        var fields = new List<string> { "Id" };
        foreach (var field in o.Fields.Concat(required).Concat(["SystemModstamp", "IsDeleted"]))
        {
            if (!fields.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                fields.Add(field);
            }
        }

        return new SyncObjectOptions { Name = o.Name, Fields = fields, IndexedFields = [.. o.IndexedFields], Where = o.Where };
    }

    public static List<SyncObjectOptions> Defaults() =>
    [
        new() { Name = "User", Fields = ["Username", "FirstName", "LastName", "Name", "Email", "IsActive", "Title"], IndexedFields = ["Email"] },
        new()
        {
            Name = "Account",
            Fields = ["Name", "Industry", "Sic", "SicDesc", "NumberOfEmployees", "AnnualRevenue", "BillingCity", "BillingPostalCode", "Type", "OwnerId", "CreatedDate", "LastModifiedDate"],
            IndexedFields = ["OwnerId"],
        },
        new() { Name = "Campaign", Fields = ["Name", "Type", "Status", "StartDate", "EndDate", "ActualCost", "BudgetedCost", "IsActive", "OwnerId", "NumberOfLeads", "NumberOfContacts", "NumberOfResponses", "NumberOfWonOpportunities", "AmountWonOpportunities"] },
        new() { Name = "CampaignMemberStatus", Fields = ["CampaignId", "Label", "IsDefault", "HasResponded", "SortOrder"], IndexedFields = ["CampaignId"] },
        new()
        {
            Name = "Lead",
            Fields = ["FirstName", "LastName", "Company", "Title", "Email", "Phone", "City", "PostalCode", "Industry", "NumberOfEmployees", "AnnualRevenue", "LeadSource", "Status", "Rating", "OwnerId", "IsConverted", "HasOptedOutOfEmail", "DoNotCall", "CreatedDate", "LastModifiedDate"],
            IndexedFields = ["Email", "OwnerId"],
        },
        new()
        {
            Name = "Contact",
            Fields = ["AccountId", "FirstName", "LastName", "Title", "Email", "Phone", "MailingCity", "OwnerId", "HasOptedOutOfEmail", "DoNotCall", "LastActivityDate", "CreatedDate", "LastModifiedDate"],
            IndexedFields = ["Email", "AccountId", "OwnerId"],
        },
        new() { Name = "CampaignMember", Fields = ["CampaignId", "LeadId", "ContactId", "Status", "HasResponded", "FirstRespondedDate", "CreatedDate"], IndexedFields = ["CampaignId", "LeadId", "ContactId"] },
        new() { Name = "Opportunity", Fields = ["Name", "AccountId", "CampaignId", "Amount", "StageName", "CloseDate", "IsWon", "IsClosed", "OwnerId"], IndexedFields = ["AccountId", "CampaignId"] },
        // Only what activity dates need: who was called or emailed, and when.
        new() { Name = "Task", Fields = ["WhoId", "OwnerId", "ActivityDate", "TaskSubtype", "Status"], IndexedFields = ["WhoId"] },
    ];
}
