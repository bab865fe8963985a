namespace SfCompanion.Emulator;

/// <summary>
/// Receives generated records in dependency order (User, Account, Campaign, CampaignMemberStatus, Lead,
/// Contact, CampaignMember, Opportunity, Task, ...). Returns the new record's 18-char Id.
/// </summary>
/// <remarks>
/// Field values are .NET values: string, bool, int/long, decimal/double, DateTimeOffset (datetimes),
/// DateOnly (dates), null. Reference fields hold Ids returned earlier.
/// </remarks>
public interface IDemoDataSink
{
    string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields);
}
