namespace SfCompanion.Rules;

/// <summary>Outcomes of a rule run.</summary>
public static class RuleStatuses
{
    public const string Ok = "ok";

    /// <summary>Computed and shown; nothing queued for Salesforce.</summary>
    public const string DryRun = "dry-run";

    /// <summary>A formula error, a missing field or the time budget: nothing queued for Salesforce.</summary>
    public const string Failed = "failed";
}
