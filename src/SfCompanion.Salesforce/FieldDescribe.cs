namespace SfCompanion.Salesforce;

/// <summary>
/// One field of a describe: its API name, Salesforce type (<c>string</c>, <c>picklist</c>, <c>currency</c>, <c>reference</c>…),
/// what it refers to, and whether the running user may set it on update (<paramref name="Updateable"/>) and on create
/// (<paramref name="Createable"/>) — both false when the field exists but the user's field-level security hides it from edits.
/// </summary>
public sealed record FieldDescribe(
    string Name,
    string Type,
    string? Label,
    IReadOnlyList<string> ReferenceTo,
    string? RelationshipName,
    IReadOnlyList<string> PicklistValues,
    bool Custom,
    int Length,
    bool Updateable = true,
    bool Createable = true);
