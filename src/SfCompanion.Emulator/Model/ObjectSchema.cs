using System.Collections.Frozen;

namespace SfCompanion.Emulator.Model;

/// <summary>One emulated sObject type: its fields, their slots and its parent relationships.</summary>
public sealed class ObjectSchema
{
    internal const int CreatedDateSlot = 0;
    internal const int CreatedByIdSlot = 1;
    internal const int LastModifiedDateSlot = 2;
    internal const int LastModifiedByIdSlot = 3;
    internal const int SystemModstampSlot = 4;

    private readonly FrozenDictionary<string, FieldDefinition> _fields;
    private readonly FrozenDictionary<string, FieldDefinition> _relationships;

    internal ObjectSchema(string name, string label, string keyPrefix, IEnumerable<FieldDefinition> fields)
    {
        Name = name;
        Label = label;
        KeyPrefix = keyPrefix;
        var all = new List<FieldDefinition>
        {
            new() { Name = "Id", Type = FieldType.Id, Label = $"{label} ID", Length = 18, Nillable = false, Createable = false, Updateable = false, Compute = r => r.Id },
            new() { Name = "IsDeleted", Type = FieldType.Boolean, Label = "Deleted", Nillable = false, Createable = false, Updateable = false, Compute = r => r.IsDeleted },
        };
        var slot = 0;
        foreach (var system in new[]
        {
            new FieldDefinition { Name = "CreatedDate", Type = FieldType.DateTime, Label = "Created Date", Nillable = false, Createable = false, Updateable = false },
            new FieldDefinition { Name = "CreatedById", Type = FieldType.Reference, Label = "Created By ID", Length = 18, Nillable = false, Createable = false, Updateable = false, ReferenceTo = ["User"], RelationshipName = "CreatedBy" },
            new FieldDefinition { Name = "LastModifiedDate", Type = FieldType.DateTime, Label = "Last Modified Date", Nillable = false, Createable = false, Updateable = false },
            new FieldDefinition { Name = "LastModifiedById", Type = FieldType.Reference, Label = "Last Modified By ID", Length = 18, Nillable = false, Createable = false, Updateable = false, ReferenceTo = ["User"], RelationshipName = "LastModifiedBy" },
            new FieldDefinition { Name = "SystemModstamp", Type = FieldType.DateTime, Label = "System Modstamp", Nillable = false, Createable = false, Updateable = false },
        })
        {
            system.Slot = slot++;
            all.Add(system);
        }

        foreach (var field in fields)
        {
            if (field.Compute is null)
            {
                field.Slot = slot++;
            }

            all.Add(field);
        }

        SlotCount = slot;
        Fields = all;
        _fields = all.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        _relationships = all.Where(f => f.RelationshipName is not null)
            .ToFrozenDictionary(f => f.RelationshipName!, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public string Label { get; }

    public string KeyPrefix { get; }

    public IReadOnlyList<FieldDefinition> Fields { get; }

    internal int SlotCount { get; }

    public FieldDefinition? GetField(string name) => _fields.GetValueOrDefault(name);

    public FieldDefinition? GetRelationship(string relationshipName) => _relationships.GetValueOrDefault(relationshipName);
}
