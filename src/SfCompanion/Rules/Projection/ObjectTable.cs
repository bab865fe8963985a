using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>
/// The projection of one object: a row per record (ids mapped to rows), the columns loaded so far, and a version
/// that changes with every applied change so derived data (lookups, roll-ups) knows when to refresh.
/// Deleted records keep their row, marked not live, so row numbers never move.
/// </summary>
public sealed class ObjectTable(string name)
{
    private readonly Dictionary<string, int> _rowOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Column> _columns = new(StringComparer.OrdinalIgnoreCase);
    private string[] _ids = [];
    private bool[] _live = [];

    public string Name { get; } = name;

    /// <summary>Rows allocated (live and deleted).</summary>
    public int Rows { get; private set; }

    public long Version { get; private set; }

    /// <summary>Whether every record of the object has been read from the mirror at least once.</summary>
    public bool Loaded { get; set; }

    public IReadOnlyCollection<Column> Columns => _columns.Values;

    public string Id(int row) => _ids[row];

    public bool IsLive(int row) => _live[row];

    public int LiveRows
    {
        get
        {
            var n = 0;
            for (var i = 0; i < Rows; i++)
            {
                n += _live[i] ? 1 : 0;
            }

            return n;
        }
    }

    public int RowOf(string id) => _rowOf.GetValueOrDefault(id, -1);

    public Column? Column(string field) => _columns.GetValueOrDefault(field);

    public Column AddColumn(string field, FormulaType type)
    {
        if (_columns.TryGetValue(field, out var existing))
        {
            return existing;
        }

        Column column = type switch
        {
            FormulaType.Boolean => new BoolColumn(field),
            FormulaType.Number => new NumberColumn(field),
            FormulaType.Date => new DateColumn(field),
            FormulaType.DateTime => new DateTimeColumn(field),
            _ => new TextColumn(field, type),
        };
        column.EnsureCapacity(_ids.Length);
        _columns[field] = column;
        Version++;
        return column;
    }

    /// <summary>The row of <paramref name="id"/>, added (live) when new.</summary>
    public int Upsert(string id)
    {
        if (_rowOf.TryGetValue(id, out var row))
        {
            if (!_live[row])
            {
                _live[row] = true;
            }

            Version++;
            return row;
        }

        row = Rows++;
        if (row >= _ids.Length)
        {
            var capacity = Math.Max(1024, _ids.Length * 2);
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _live, capacity);
            foreach (var column in _columns.Values)
            {
                column.EnsureCapacity(capacity);
            }
        }

        _ids[row] = id;
        _live[row] = true;
        _rowOf[id] = row;
        Version++;
        return row;
    }

    public void Delete(string id)
    {
        if (_rowOf.TryGetValue(id, out var row) && _live[row])
        {
            _live[row] = false;
            Version++;
        }
    }

    /// <summary>Writes the record's values into every loaded column (fields absent from the record are left as they are when <paramref name="merge"/>).</summary>
    public void Apply(string id, IReadOnlyDictionary<string, string?> fields, bool merge)
    {
        var row = Upsert(id);
        foreach (var column in _columns.Values)
        {
            if (fields.TryGetValue(column.Field, out var value))
            {
                column.Set(row, value);
            }
            else if (!merge)
            {
                column.Set(row, null);
            }
        }
    }
}
