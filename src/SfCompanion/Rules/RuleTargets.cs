namespace SfCompanion.Rules;

/// <summary>The Salesforce fields a rule writes on its object; any may be left out.</summary>
public sealed record RuleTargets
{
    /// <summary>Checkbox: the record matches (e.g. <c>Sfc_Vip__c</c>).</summary>
    public string? Flag { get; init; }

    /// <summary>Text: the criteria that held, separated by "; " (e.g. <c>Sfc_Vip_Reasons__c</c>); blank when not matching.</summary>
    public string? Reasons { get; init; }

    /// <summary>Date the record started to match (e.g. <c>Sfc_Vip_Since__c</c>).</summary>
    public string? Since { get; init; }

    /// <summary>Review date: the earliest date a time window would drop the record if nothing new happens (e.g. <c>Sfc_Vip_Until__c</c>); blank when none within three years.</summary>
    public string? Until { get; init; }

    public IEnumerable<string> All() => new[] { Flag, Reasons, Since, Until }.OfType<string>();
}
