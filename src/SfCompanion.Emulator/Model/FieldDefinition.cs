namespace SfCompanion.Emulator.Model;

/// <summary>Salesforce field types as describe reports them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Names mirror Salesforce's describe field types.")]
public enum FieldType
{
    Id,
    Reference,
    String,
    TextArea,
    Email,
    Phone,
    Url,
    Picklist,
    MultiPicklist,
    Boolean,
    Int,
    Double,
    Currency,
    Percent,
    Date,
    DateTime,
}

/// <summary>A field on an emulated object. <see cref="Slot"/> is its index in the record's value array (-1 for computed fields).</summary>
public sealed class FieldDefinition
{
    public required string Name { get; init; }

    public required FieldType Type { get; init; }

    public string Label { get; init; } = "";

    public int Length { get; init; }

    public bool Nillable { get; init; } = true;

    public bool Createable { get; init; } = true;

    public bool Updateable { get; init; } = true;

    /// <summary>Required on create through the API (REQUIRED_FIELD_MISSING when absent).</summary>
    public bool Required { get; init; }

    public bool Custom { get; init; }

    public bool ExternalId { get; init; }

    /// <summary>Target object names of a reference field (several for polymorphic fields like WhoId).</summary>
    public IReadOnlyList<string> ReferenceTo { get; init; } = [];

    public string? RelationshipName { get; init; }

    public IReadOnlyList<string> PicklistValues { get; init; } = [];

    public int Slot { get; internal set; } = -1;

    /// <summary>Computed fields (compound Name, rollups) read from the record rather than a slot.</summary>
    internal Func<SObjectRecord, object?>? Compute { get; init; }

    public bool IsNumeric => Type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent;

    public bool IsText => Type is FieldType.Id or FieldType.Reference or FieldType.String or FieldType.TextArea or FieldType.Email
        or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist;

    internal object? Read(SObjectRecord record) => Compute is not null ? Compute(record) : record.Values[Slot];
}

/// <summary>A custom field declared at start (for example the <c>Sfc_</c> fields SfCompanion writes).</summary>
public sealed record CustomFieldDefinition(string SObjectType, string Name, FieldType Type, bool ExternalId = false, int Length = 255);
