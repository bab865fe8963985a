using System.Diagnostics.CodeAnalysis;

namespace SfCompanion.Salesforce;

/// <summary>
/// Salesforce record ids: 15 or 18 letters and digits, whose first three characters (the key prefix) name the
/// object. Only the standard prefixes SfCompanion works with are known here; custom objects get org-specific ones.
/// </summary>
public static class SalesforceIds
{
    public const string AccountPrefix = "001";
    public const string ContactPrefix = "003";
    public const string UserPrefix = "005";
    public const string OpportunityPrefix = "006";
    public const string TaskPrefix = "00T";
    public const string LeadPrefix = "00Q";
    public const string CampaignMemberPrefix = "00v";
    public const string CampaignPrefix = "701";

    private static readonly (string Prefix, string Object)[] Prefixes =
    [
        (AccountPrefix, "Account"), (ContactPrefix, "Contact"), (UserPrefix, "User"), (OpportunityPrefix, "Opportunity"),
        (TaskPrefix, "Task"), (LeadPrefix, "Lead"), (CampaignMemberPrefix, "CampaignMember"), (CampaignPrefix, "Campaign"),
    ];

    /// <summary>Whether <paramref name="id"/> has the shape of a record id: 15 or 18 ASCII letters and digits.</summary>
    public static bool IsWellFormed([NotNullWhen(true)] string? id) => id is { Length: 15 or 18 } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>The object named by the id's key prefix (<c>00Q</c> Lead, <c>003</c> Contact…), or null when unknown or too short.</summary>
    public static string? ObjectOf(string? id)
    {
        if (id is null || id.Length < 3)
        {
            return null;
        }

        foreach (var (prefix, sobject) in Prefixes)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                return sobject;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="id"/> is a well-formed id of <paramref name="sobject"/>.</summary>
    public static bool IsIdOf([NotNullWhen(true)] string? id, string sobject) => IsWellFormed(id) && string.Equals(ObjectOf(id), sobject, StringComparison.Ordinal);

    /// <summary>Lead or Contact: the people campaigns reach, or null for any other id.</summary>
    public static string? PersonObjectOf(string? id) => ObjectOf(id) is "Lead" or "Contact" ? ObjectOf(id) : null;
}
