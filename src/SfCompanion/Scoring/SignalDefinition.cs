namespace SfCompanion.Scoring;

/// <summary>
/// An engagement signal: a date SfCompanion or Salesforce keeps on the record (last human click, consent given, last
/// activity), worth its full weight on that day and half as much every <see cref="HalfLifeDays"/> after.
/// </summary>
public sealed record SignalDefinition
{
    public string Name { get; init; } = "";

    /// <summary><c>click</c> (<c>Sfc_Last_Click_Date__c</c>, human clicks from tracking), <c>opt-in</c> (<c>Sfc_Consent_Changed__c</c> while not opted out), <c>activity</c> (<c>LastActivityDate</c>), or <c>field</c> with <see cref="Field"/>.</summary>
    public string Kind { get; init; } = "click";

    /// <summary>A date or date/time field of the object, for <c>field</c> signals.</summary>
    public string? Field { get; init; }

    public double Weight { get; init; } = 1;

    public double HalfLifeDays { get; init; } = 30;
}
