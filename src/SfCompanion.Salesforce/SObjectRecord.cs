using System.Globalization;
using System.Text.Json.Serialization;

namespace SfCompanion.Salesforce;

/// <summary>
/// One Salesforce record as a bag of fields, for code that works with configurable field lists.
/// </summary>
/// <remarks>
/// Values read from the REST API are <see cref="string"/>, <see cref="bool"/>, <see cref="decimal"/>
/// (numbers; <see cref="double"/> only when out of decimal range) or <c>null</c>. Dates and date-times stay
/// strings exactly as Salesforce sent them; use <see cref="GetDateTimeOffset"/> / <see cref="GetDate"/>.
/// Parent relationships are flattened into dotted names (<c>Account.Name</c>, <c>Account.Owner.Email</c>);
/// a null parent is stored as <c>Account = null</c>. Child subqueries are
/// <see cref="IReadOnlyList{T}"/> of <see cref="SObjectRecord"/> under the relationship name.
/// Records from Bulk API 2.0 query results hold strings only (CSV), empty values as <c>null</c>.
/// Field names are case-insensitive, as in Salesforce.
/// For writes, values may also be <see cref="DateTimeOffset"/>, <see cref="DateTime"/>, <see cref="DateOnly"/>,
/// integers, enums, a sequence of strings (multi-select picklist, sent as <c>a;b</c>) or a nested
/// <see cref="SObjectRecord"/> (relationship by external id).
/// </remarks>
[JsonConverter(typeof(SObjectRecordJsonConverter))]
public sealed class SObjectRecord
{
    private readonly Dictionary<string, object?> _fields;

    public SObjectRecord()
        : this(null)
    {
    }

    public SObjectRecord(string? type, int capacity = 0)
    {
        Type = type;
        _fields = new Dictionary<string, object?>(capacity, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>sObject type from <c>attributes.type</c> (e.g. <c>Lead</c>).</summary>
    public string? Type { get; set; }

    /// <summary>Record URL from <c>attributes.url</c>; never sent on writes.</summary>
    public string? Url { get; set; }

    /// <summary>The record's <c>Id</c> field.</summary>
    public string? Id
    {
        get => GetString("Id");
        set => this["Id"] = value;
    }

    /// <summary>Field value by API name, <c>null</c> when absent.</summary>
    public object? this[string field]
    {
        get => _fields.TryGetValue(field, out var value) ? value : null;
        set => _fields[field] = value;
    }

    /// <summary>The fields in the order they were read or set.</summary>
    public IReadOnlyDictionary<string, object?> Fields => _fields;

    public int Count => _fields.Count;

    public bool ContainsField(string field) => _fields.ContainsKey(field);

    public bool TryGetValue(string field, out object? value) => _fields.TryGetValue(field, out value);

    public bool Remove(string field) => _fields.Remove(field);

    public string? GetString(string field) => this[field] switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    public DateTimeOffset? GetDateTimeOffset(string field) => this[field] switch
    {
        null => null,
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d),
        string s when s.Length == 0 => null,
        string s => SalesforceDateTime.Parse(s),
        var other => throw new InvalidCastException($"Field {field} holds {other.GetType().Name}, not a date-time."),
    };

    public DateOnly? GetDate(string field) => this[field] switch
    {
        null => null,
        DateOnly d => d,
        string s when s.Length == 0 => null,
        string s when s.Length == 10 => DateOnly.ParseExact(s, SalesforceDateTime.DateFormat, CultureInfo.InvariantCulture),
        _ => GetDateTimeOffset(field) is { } dt ? DateOnly.FromDateTime(dt.UtcDateTime) : null,
    };

    public decimal? GetDecimal(string field) => this[field] switch
    {
        null => null,
        decimal d => d,
        double d => (decimal)d,
        string s when s.Length == 0 => null,
        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture),
        var other => throw new InvalidCastException($"Field {field} holds {other.GetType().Name}, not a number."),
    };

    public bool? GetBoolean(string field) => this[field] switch
    {
        null => null,
        bool b => b,
        string s when s.Length == 0 => null,
        string s => bool.Parse(s),
        var other => throw new InvalidCastException($"Field {field} holds {other.GetType().Name}, not a boolean."),
    };

    /// <summary>Values of a multi-select picklist (<c>a;b</c>); empty when the field is null.</summary>
    public IReadOnlyList<string> GetMultiPicklist(string field) => this[field] switch
    {
        null => [],
        string s => s.Split(';', StringSplitOptions.RemoveEmptyEntries),
        IEnumerable<string> values => [.. values],
        var other => throw new InvalidCastException($"Field {field} holds {other.GetType().Name}, not a multi-select picklist."),
    };

    /// <summary>Records of a child subquery (<c>(SELECT Id FROM Contacts)</c>); empty when none.</summary>
    public IReadOnlyList<SObjectRecord> GetChildRecords(string relationship) =>
        this[relationship] as IReadOnlyList<SObjectRecord> ?? [];

    public override string ToString() => $"{Type ?? "sObject"} {Id ?? "(new)"} ({_fields.Count} fields)";
}
