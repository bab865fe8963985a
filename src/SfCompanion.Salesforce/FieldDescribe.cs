namespace SfCompanion.Salesforce;

/// <summary>One field of a describe: its API name, Salesforce type (<c>string</c>, <c>picklist</c>, <c>currency</c>, <c>reference</c>…) and what it refers to.</summary>
public sealed record FieldDescribe(
    string Name,
    string Type,
    string? Label,
    IReadOnlyList<string> ReferenceTo,
    string? RelationshipName,
    IReadOnlyList<string> PicklistValues,
    bool Custom,
    int Length);
