namespace SfCompanion.Writeback;

/// <summary>
/// A value a capability wants a Salesforce field to hold, with where it comes from and why. The value is a
/// .NET value (string, bool, number, <see cref="DateTimeOffset"/> for date-times, <see cref="DateOnly"/> for
/// dates) or null to clear the field.
/// </summary>
public sealed record DesiredValue(string Object, string Id, string Field, object? Value, string Source, string? Reason = null);
