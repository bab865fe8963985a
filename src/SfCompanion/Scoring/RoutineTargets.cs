namespace SfCompanion.Scoring;

/// <summary>Fields the routine writes on its object; any may be left out.</summary>
public sealed record RoutineTargets
{
    public string? Score { get; init; } = "Sfc_Score__c";

    public string? Band { get; init; } = "Sfc_Score_Band__c";

    public string? Reasons { get; init; } = "Sfc_Score_Reasons__c";

    public string? Tag { get; init; } = "Sfc_Routine_Tag__c";

    public string? MatchDate { get; init; } = "Sfc_Match_Date__c";
}
