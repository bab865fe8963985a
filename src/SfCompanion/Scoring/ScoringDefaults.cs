using SfCompanion.Rules;

namespace SfCompanion.Scoring;

/// <summary>What a routine uses when it does not say: lifecycle formulas per object, bands, and the roll-ups they read.</summary>
public static class ScoringDefaults
{
    public const string Suspect = "suspect";
    public const string Prospect = "prospect";
    public const string Client = "client";
    public const string OutOfMarket = "out";

    public static IReadOnlyList<BandDefinition> Bands { get; } =
    [
        new("cold", 0, 24), new("cool", 25, 49), new("warm", 50, 74), new("hot", 75, 100),
    ];

    /// <summary>Roll-ups the default lifecycle formulas read (a saved roll-up of the same name replaces one).</summary>
    public static IReadOnlyList<RollupDefinition> Rollups { get; } =
    [
        new() { Name = "Won_Opportunities", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "IsWon" },
        new() { Name = "Open_Opportunities", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "COUNT", Filter = "NOT(IsClosed)" },
        new() { Name = "Open_Tasks", Object = "Lead", ChildObject = "Task", Relationship = "WhoId", Function = "COUNT", Filter = "NOT(ISPICKVAL(Status, 'Completed'))" },
        new() { Name = "Open_Tasks", Object = "Contact", ChildObject = "Task", Relationship = "WhoId", Function = "COUNT", Filter = "NOT(ISPICKVAL(Status, 'Completed'))" },
    ];

    public static string ClientFormula(string sobject) => sobject switch
    {
        "Lead" => "IsConverted",
        "Contact" => "Account.Won_Opportunities > 0",
        _ => "Won_Opportunities > 0",
    };

    public static string ProspectFormula(string sobject) => sobject switch
    {
        "Lead" => "Owner.IsActive && (ISPICKVAL(Status, 'Working - Contacted') || Open_Tasks > 0)",
        "Contact" => "Owner.IsActive && Open_Tasks > 0",
        _ => "Owner.IsActive && Open_Opportunities > 0",
    };

    public static string? SignalField(SignalDefinition signal) => signal.Kind switch
    {
        "click" => "Sfc_Last_Click_Date__c",
        "opt-in" => "Sfc_Consent_Changed__c",
        "activity" => "LastActivityDate",
        _ => signal.Field,
    };
}
