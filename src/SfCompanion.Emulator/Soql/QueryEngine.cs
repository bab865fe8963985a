using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using SfCompanion.Emulator.Api;
using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Soql;

/// <summary>A selected column: its path as written in the query (canonical casing) and how to read it.</summary>
internal sealed record Column(string Path, IReadOnlyList<string> Parts, Func<SObjectRecord, object?> Read)
{
    public FieldType FieldType { get; init; }
}

/// <summary>A query resolved against the object model, ready to run.</summary>
internal sealed class CompiledQuery
{
    public required ObjectSchema Schema { get; init; }

    public required bool IsCount { get; init; }

    public required IReadOnlyList<Column> Columns { get; init; }

    public Func<SObjectRecord, bool>? Where { get; init; }

    public IReadOnlyList<(Func<SObjectRecord, object?> Key, bool Descending, bool NullsFirst)> OrderBy { get; init; } = [];

    public int? Limit { get; init; }

    public int Offset { get; init; }
}

/// <summary>Resolves parsed SOQL against the org's schemas and runs it over the store.</summary>
internal sealed class QueryEngine(OrgData data, TimeProvider time)
{
    private static readonly ConcurrentDictionary<string, Regex> LikePatterns = new(StringComparer.Ordinal);

    public CompiledQuery Compile(string soql)
    {
        var query = SoqlParser.Parse(soql);
        var schema = (data.GetSchema(query.From) is { } found && !data.IsAccessRevoked(found.Name, null) ? found : null) ?? throw new SalesforceApiException("INVALID_TYPE",
            $"\n{soql}\nsObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.");
        var columns = new List<Column>();
        foreach (var path in query.Fields)
        {
            var column = Resolve(schema, path, soql);
            if (!columns.Any(c => string.Equals(c.Path, column.Path, StringComparison.OrdinalIgnoreCase)))
            {
                columns.Add(column);
            }
        }

        if (query.Offset > 2000)
        {
            throw new SalesforceApiException("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000");
        }

        var now = time.GetUtcNow();
        return new CompiledQuery
        {
            Schema = schema,
            IsCount = query.IsCount,
            Columns = columns,
            Where = query.Where is null ? null : CompileCondition(schema, query.Where, soql, now),
            OrderBy = [.. query.OrderBy.Select(o => (Resolve(schema, o.Field, soql).Read, o.Descending, o.NullsFirst ?? !o.Descending))],
            Limit = query.Limit,
            Offset = query.Offset ?? 0,
        };
    }

    public List<SObjectRecord> Execute(CompiledQuery query, bool includeDeleted)
    {
        IEnumerable<SObjectRecord> rows = data.Scan(query.Schema, query.Where, includeDeleted);
        if (query.OrderBy.Count > 0 && !query.IsCount)
        {
            IOrderedEnumerable<SObjectRecord>? ordered = null;
            foreach (var (key, descending, nullsFirst) in query.OrderBy)
            {
                var comparer = new ValueComparer(descending, nullsFirst);
                ordered = ordered is null ? rows.OrderBy(key, comparer) : ordered.ThenBy(key, comparer);
            }

            rows = ordered!;
        }

        if (query.Offset > 0)
        {
            rows = rows.Skip(query.Offset);
        }

        if (query.Limit is { } limit)
        {
            rows = rows.Take(limit);
        }

        return rows as List<SObjectRecord> ?? [.. rows];
    }

    /// <summary>Writes one record as the REST query resource does: selected fields, parents as nested objects.</summary>
    public void WriteRecord(Utf8JsonWriter w, string version, SObjectRecord record, IReadOnlyList<Column> columns, int depth = 0)
    {
        w.WriteStartObject();
        SfJson.WriteAttributes(w, version, record.Schema, record.Id);
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns)
        {
            if (column.Parts.Count <= depth + 1)
            {
                w.WritePropertyName(column.Parts[depth]);
                FieldValues.Write(w, column.Read(record));
                continue;
            }

            var relationship = column.Parts[depth];
            if (!written.Add(relationship))
            {
                continue;
            }

            w.WritePropertyName(relationship);
            var parent = ResolveParent(record, relationship);
            if (parent is null)
            {
                w.WriteNullValue();
                continue;
            }

            var nested = columns.Where(c => c.Parts.Count > depth + 1 && string.Equals(c.Parts[depth], relationship, StringComparison.OrdinalIgnoreCase))
                .Select(c => c with { Read = ParentReader(c.Parts.Skip(depth + 1).ToList()) }).ToList();
            WriteRecord(w, version, parent, nested, depth + 1);
        }

        w.WriteEndObject();
    }

    private Column Resolve(ObjectSchema schema, FieldPath path, string soql)
    {
        var parts = path.Parts.ToList();
        if (parts.Count > 1 && string.Equals(parts[0], schema.Name, StringComparison.OrdinalIgnoreCase) && schema.GetRelationship(parts[0]) is null)
        {
            parts.RemoveAt(0);
        }

        var canonical = new List<string>();
        IReadOnlyList<ObjectSchema> current = [schema];
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var relationship = current.Select(s => s.GetRelationship(parts[i])).FirstOrDefault(r => r is not null)
                ?? throw new SalesforceApiException("INVALID_FIELD",
                    $"\n{soql}\nDidn't understand relationship '{parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.");
            canonical.Add(relationship.RelationshipName!);
            current = [.. relationship.ReferenceTo.Select(data.GetSchema).OfType<ObjectSchema>()];
        }

        var last = parts[^1];
        var field = current.Select(s => s.GetField(last) is { } f && !data.IsAccessRevoked(s.Name, f.Name) ? f : null).FirstOrDefault(f => f is not null)
            ?? throw new SalesforceApiException("INVALID_FIELD",
                $"\n{soql}\nNo such column '{last}' on entity '{(current.Count > 0 ? current[0].Name : schema.Name)}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        canonical.Add(field.Name);
        var read = canonical.Count == 1 ? field.Read : ParentReader(canonical);
        return new Column(string.Join('.', canonical), canonical, read) { FieldType = field.Type };
    }

    private Func<SObjectRecord, object?> ParentReader(List<string> parts) => record =>
    {
        var current = record;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            current = ResolveParent(current, parts[i]);
            if (current is null)
            {
                return null;
            }
        }

        return current.Schema.GetField(parts[^1]) is { } f ? f.Read(current) : null;
    };

    private SObjectRecord? ResolveParent(SObjectRecord record, string relationship)
    {
        var field = record.Schema.GetRelationship(relationship);
        return field is null || record.Values[field.Slot] is not string id ? null : data.Find(id);
    }

    private Func<SObjectRecord, bool> CompileCondition(ObjectSchema schema, SoqlCondition condition, string soql, DateTimeOffset now)
    {
        switch (condition)
        {
            case AndCondition and:
            {
                var parts = and.Operands.Select(o => CompileCondition(schema, o, soql, now)).ToArray();
                return r => parts.All(p => p(r));
            }

            case OrCondition or:
            {
                var parts = or.Operands.Select(o => CompileCondition(schema, o, soql, now)).ToArray();
                return r => parts.Any(p => p(r));
            }

            case NotCondition not:
            {
                var inner = CompileCondition(schema, not.Operand, soql, now);
                return r => !inner(r);
            }

            case ComparisonCondition c:
                return CompileComparison(Resolve(schema, c.Field, soql), c.Operator, c.Value, soql, now);
            case SetCondition s:
                return CompileSet(Resolve(schema, s.Field, soql), s.Operator, s.Values, soql, now);
            default:
                throw new SalesforceApiException("MALFORMED_QUERY", $"\n{soql}\nunsupported condition");
        }
    }

    private static Func<SObjectRecord, bool> CompileComparison(Column column, string op, SoqlLiteral literal, string soql, DateTimeOffset now)
    {
        var read = column.Read;
        if (literal.Kind == LiteralKind.Null)
        {
            return op switch
            {
                "=" => r => read(r) is null,
                "!=" => r => read(r) is not null,
                _ => throw Filter(soql, $"invalid operator on null: {op}"),
            };
        }

        if (literal.Kind == LiteralKind.DateFunction)
        {
            if (DateLiterals.NeedsN((string)literal.Value!) != (literal.N != 0))
            {
                throw Filter(soql, $"invalid date literal: {literal}");
            }

            var (start, end) = DateLiterals.Range((string)literal.Value!, literal.N, now);
            object lo, hi;
            switch (column.FieldType)
            {
                case FieldType.Date:
                    lo = start;
                    hi = end;
                    break;
                case FieldType.DateTime:
                    lo = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    hi = new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    break;
                default:
                    throw Filter(soql, $"value of filter criterion for field '{column.Path}' must be of type {TypeWord(column.FieldType)}");
            }

            return op switch
            {
                "=" => r => read(r) is { } v && Compare(v, lo) >= 0 && Compare(v, hi) < 0,
                "!=" => r => read(r) is not { } v || Compare(v, lo) < 0 || Compare(v, hi) >= 0,
                "<" => r => read(r) is { } v && Compare(v, lo) < 0,
                "<=" => r => read(r) is { } v && Compare(v, hi) < 0,
                ">" => r => read(r) is { } v && Compare(v, hi) >= 0,
                ">=" => r => read(r) is { } v && Compare(v, lo) >= 0,
                _ => throw Filter(soql, $"invalid operator on date field: {op}"),
            };
        }

        var value = Coerce(column, literal, soql);
        if (op == "LIKE")
        {
            if (!IsTextual(column.FieldType))
            {
                throw Filter(soql, $"invalid operator on field '{column.Path}': LIKE only applies to text fields");
            }

            var regex = LikePatterns.GetOrAdd((string)value, ToLikeRegex);
            return r => read(r) is string s && regex.IsMatch(s);
        }

        return op switch
        {
            "=" => r => read(r) is { } v && Compare(v, value) == 0,
            "!=" => r => read(r) is not { } v || Compare(v, value) != 0,
            "<" => r => read(r) is { } v && Compare(v, value) < 0,
            "<=" => r => read(r) is { } v && Compare(v, value) <= 0,
            ">" => r => read(r) is { } v && Compare(v, value) > 0,
            ">=" => r => read(r) is { } v && Compare(v, value) >= 0,
            _ => throw Filter(soql, $"unsupported operator {op}"),
        };
    }

    private static Func<SObjectRecord, bool> CompileSet(Column column, string op, IReadOnlyList<SoqlLiteral> literals, string soql, DateTimeOffset now)
    {
        var read = column.Read;
        if (op is "INCLUDES" or "EXCLUDES")
        {
            if (column.FieldType != FieldType.MultiPicklist)
            {
                throw Filter(soql, $"{op} operator is only valid on multipicklist field: {column.Path}");
            }

            var wanted = literals.Select(l => ((string)Coerce(column, l, soql)).Split(';', StringSplitOptions.TrimEntries)).ToList();
            bool Includes(SObjectRecord r)
            {
                var values = (read(r) as string ?? "").Split(';', StringSplitOptions.TrimEntries);
                return wanted.Any(set => set.All(w => values.Contains(w, StringComparer.OrdinalIgnoreCase)));
            }

            return op == "INCLUDES" ? Includes : r => !Includes(r);
        }

        if (literals.Any(l => l.Kind == LiteralKind.DateFunction))
        {
            throw Filter(soql, "date literals are not supported inside IN lists by the emulator");
        }

        var includesNull = literals.Any(l => l.Kind == LiteralKind.Null);
        var values = literals.Where(l => l.Kind != LiteralKind.Null).Select(l => Coerce(column, l, soql)).ToList();
        HashSet<object> set = [.. values.Select(Key)];
        bool Contains(SObjectRecord r) => read(r) is { } v ? set.Contains(Key(v)) : includesNull;
        return op == "IN" ? Contains : r => !Contains(r);

        static object Key(object v) => v switch
        {
            string s => s.ToUpperInvariant(),
            int i => (decimal)i,
            _ => v,
        };
    }

    private static object Coerce(Column column, SoqlLiteral literal, string soql)
    {
        var type = column.FieldType;
        switch (literal.Kind)
        {
            case LiteralKind.String when type is FieldType.Id or FieldType.Reference:
                return SalesforceId.Normalize((string)literal.Value!) ?? throw new SalesforceApiException("INVALID_QUERY_FILTER_OPERATOR", $"\n{soql}\ninvalid ID field: {literal.Value}");
            case LiteralKind.String when IsTextual(type):
                return literal.Value!;
            case LiteralKind.Boolean when type == FieldType.Boolean:
            case LiteralKind.Number when type is FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent:
            case LiteralKind.Date when type == FieldType.Date:
            case LiteralKind.DateTime when type == FieldType.DateTime:
                return literal.Value!;
            default:
                var quoted = literal.Kind == LiteralKind.String ? " and should not be enclosed in quotes" : "";
                throw Filter(soql, $"value of filter criterion for field '{column.Path}' must be of type {TypeWord(type)}{quoted}");
        }
    }

    private static bool IsTextual(FieldType type) => type is FieldType.Id or FieldType.Reference or FieldType.String or FieldType.TextArea
        or FieldType.Email or FieldType.Phone or FieldType.Url or FieldType.Picklist or FieldType.MultiPicklist;

    private static string TypeWord(FieldType type) => type switch
    {
        FieldType.DateTime => "dateTime",
        FieldType.Date => "date",
        FieldType.Boolean => "boolean",
        FieldType.Int or FieldType.Double or FieldType.Currency or FieldType.Percent => "double",
        _ => "string",
    };

    private static SalesforceApiException Filter(string soql, string message) =>
        new("INVALID_FIELD", $"\n{soql}\n{message}");

    private static Regex ToLikeRegex(string pattern)
    {
        var builder = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '%' or '_')
            {
                builder.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                builder.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(builder.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    /// <summary>Orders stored values: text case-insensitively, numbers numerically, dates chronologically.</summary>
    internal static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.Compare(x, y, StringComparison.OrdinalIgnoreCase),
        (int x, int y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (DateTimeOffset x, DateOnly y) => x.CompareTo(new DateTimeOffset(y.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        _ => ToDecimal(a).CompareTo(ToDecimal(b)),
    };

    private static decimal ToDecimal(object value) => value switch
    {
        int i => i,
        decimal d => d,
        long l => l,
        double d => (decimal)d,
        _ => 0m,
    };

    private sealed class ValueComparer(bool descending, bool nullsFirst) : IComparer<object?>
    {
        public int Compare(object? x, object? y)
        {
            if (x is null || y is null)
            {
                return x is null && y is null ? 0 : (x is null) == nullsFirst ? -1 : 1;
            }

            var result = QueryEngine.Compare(x, y);
            return descending ? -result : result;
        }
    }
}
