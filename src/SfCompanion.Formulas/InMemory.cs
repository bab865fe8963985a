using System.Collections;
using System.Globalization;
using System.Linq.Expressions;

namespace SfCompanion.Formulas;

/// <summary>
/// A schema listing field paths (joined by '.', e.g. <c>Account.Industry</c>) and their types, whatever the root object.
/// Lookup is case-insensitive; the resolved path is the spelling given here, which is also the BindingKey.
/// For tests, tools and examples; the service resolves against its org metadata.
/// </summary>
public sealed class DictionarySchema : IFormulaSchema, IEnumerable<KeyValuePair<string, FormulaType>>
{
    private readonly Dictionary<string, KeyValuePair<string, FormulaType>> fields = new(StringComparer.OrdinalIgnoreCase);

    public DictionarySchema()
    {
    }

    public DictionarySchema(IEnumerable<KeyValuePair<string, FormulaType>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var (path, type) in fields)
        {
            Add(path, type);
        }
    }

    public void Add(string path, FormulaType type) => fields[path] = new(path, type);

    public FormulaField? Resolve(string rootObject, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return fields.TryGetValue(string.Join('.', path), out var field) ? new FormulaField(field.Key, field.Value, field.Key) : null;
    }

    public IEnumerator<KeyValuePair<string, FormulaType>> GetEnumerator() => fields.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Reads fields from records held as dictionaries keyed by field path (variables by their name). Values may be
/// <c>bool</c>, any number type, <c>string</c>, <c>DateOnly</c>, <c>DateTime</c> or ISO-8601 text for dates. Simple and slow
/// (a dictionary lookup and a conversion per value): for tests. <see cref="ColumnBinder"/> is the fast one.
/// </summary>
public sealed class DictionaryRowBinder(IReadOnlyList<IReadOnlyDictionary<string, object?>> rows) : IFormulaBinder
{
    public Expression Bind(FormulaField field, ParameterExpression row)
    {
        ArgumentNullException.ThrowIfNull(field);
        var key = field.BindingKey is string s && s.StartsWith("var:", StringComparison.Ordinal) ? s[4..] : field.Path;
        var raw = Expression.Call(Expression.Constant(this), typeof(DictionaryRowBinder).GetMethod(nameof(Raw))!, row, Expression.Constant(key));
        var convert = field.Type switch
        {
            FormulaType.Boolean => nameof(ToBoolean),
            FormulaType.Number => nameof(ToNumber),
            FormulaType.Date => nameof(ToDate),
            FormulaType.DateTime => nameof(ToDateTime),
            _ => nameof(ToText),
        };
        return Expression.Call(typeof(DictionaryRowBinder).GetMethod(convert)!, raw);
    }

    public object? Raw(int row, string key) => rows[row].TryGetValue(key, out var value) ? value : null;

    public static bool ToBoolean(object? value) => value is true;

    public static decimal? ToNumber(object? value) => value switch
    {
        null => null,
        decimal d => d,
        double d => (decimal)d,
        float f => (decimal)f,
        string s when s.Length == 0 => null,
        string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        IConvertible c => c.ToDecimal(CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a number."),
    };

    public static string? ToText(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public static DateOnly? ToDate(object? value) => value switch
    {
        null or "" => null,
        DateOnly d => d,
        DateTime d => DateOnly.FromDateTime(d),
        string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a date."),
    };

    public static DateTime? ToDateTime(object? value) => value switch
    {
        null or "" => null,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset d => d.UtcDateTime,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a date/time."),
    };
}

/// <summary>
/// Reads fields from typed column arrays (<c>bool[]</c>, <c>decimal?[]</c>, <c>string[]</c>, <c>DateOnly?[]</c>,
/// <c>DateTime?[]</c>), one element per record: the compiled formula indexes the array directly. Columns are keyed by
/// field path (or variable name), case-insensitively.
/// </summary>
public sealed class ColumnBinder : IFormulaBinder
{
    private readonly Dictionary<string, Array> columns = new(StringComparer.OrdinalIgnoreCase);

    public ColumnBinder Add(string path, Array column)
    {
        ArgumentNullException.ThrowIfNull(column);
        columns[path] = column;
        return this;
    }

    public Expression Bind(FormulaField field, ParameterExpression row)
    {
        ArgumentNullException.ThrowIfNull(field);
        var key = field.BindingKey is string s && s.StartsWith("var:", StringComparison.Ordinal) ? s[4..] : field.Path;
        if (!columns.TryGetValue(key, out var column))
        {
            throw new InvalidOperationException($"No column for {key}.");
        }

        return Expression.ArrayIndex(Expression.Constant(column), row);
    }
}
