using SfCompanion.Salesforce;

namespace SfCompanion.Writeback;

/// <summary>One field's pending value in the outbox, as canonical text plus its kind.</summary>
public sealed record PendingField(string? Value, ValueKind Kind, string Source, string? Reason, DateTimeOffset EnqueuedAt)
{
    public static PendingField From(DesiredValue value, DateTimeOffset now) => new(
        FieldValues.ToText(value.Value),
        value.Value switch
        {
            bool => ValueKind.Boolean,
            decimal or double or float or int or long or short => ValueKind.Number,
            DateOnly => ValueKind.Date,
            DateTimeOffset or DateTime => ValueKind.DateTime,
            _ => ValueKind.Text,
        },
        value.Source,
        value.Reason,
        now);

    /// <summary>The value as REST JSON wants it.</summary>
    public object? ToWireValue() => Value is null ? null : Kind switch
    {
        ValueKind.Boolean => bool.Parse(Value),
        ValueKind.Number => decimal.Parse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
        _ => Value,
    };
}
