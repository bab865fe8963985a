namespace SfCompanion.Writeback;

/// <summary>How a pending value is sent: JSON type for REST, text for Bulk CSV.</summary>
public enum ValueKind
{
    Text,
    Boolean,
    Number,
    Date,
    DateTime,
}
