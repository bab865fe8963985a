namespace SfCompanion.Sync;

/// <summary>
/// A Salesforce field a capability writes: its object, API name, the capability that writes it, the Salesforce type it
/// expects (the describe's names: <c>boolean</c>, <c>double</c>, <c>percent</c>, <c>currency</c>, <c>date</c>,
/// <c>datetime</c>, <c>string</c>, <c>textarea</c>, <c>url</c>, <c>picklist</c>, <c>reference</c>…) and whether it is set
/// only when SfCompanion creates the record (<paramref name="OnCreate"/>: needs <c>createable</c>, not <c>updateable</c>).
/// </summary>
public sealed record WrittenField(string Object, string Field, string Capability, string Type, bool OnCreate = false)
{
    /// <summary>True for custom fields (<c>…__c</c>), which <c>connected-app/</c> must deploy.</summary>
    public bool Custom => Field.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The Salesforce fields a capability writes, so that the org readiness check can tell which capability a missing field
/// degrades and a test can check that <c>connected-app/</c> deploys every one of them. Each writing capability registers
/// one in its <c>Add…</c> with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IWrittenFields, …&gt;())</c>.
/// </summary>
public interface IWrittenFields
{
    /// <summary>The capability's name as shown in reports (<c>Tracking</c>, <c>Consent</c>, <c>Rules</c>…).</summary>
    string Capability { get; }

    /// <summary>The fields written with the current configuration.</summary>
    IEnumerable<WrittenField> Fields();
}
