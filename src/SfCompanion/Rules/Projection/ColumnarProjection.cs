using SfCompanion.Formulas;
using SfCompanion.Sync;

namespace SfCompanion.Rules.Projection;

/// <summary>
/// The in-memory columnar projection of the mirror that rules and roll-ups compute on: only the objects and fields
/// they reference, loaded from the store the first time they are needed, then kept current by every mirror write
/// (each sync page, each writeback) — never reloaded. One gate serialises loads, applied changes and evaluations.
/// </summary>
public sealed class ColumnarProjection : IMirrorListener, IDisposable
{
    private readonly Mirror _mirror;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ObjectTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Object, string Field), LookupIndex> _lookups = [];

    public ColumnarProjection(Mirror mirror)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        _mirror = mirror;
        mirror.Subscribe(this);
    }

    /// <summary>What each roll-up column was last computed from (definitions, table versions, date), to skip recomputing it.</summary>
    internal Dictionary<string, string> RollupStamps { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Boolean results of whole-object evaluations, by formula and by the state they were computed from.</summary>
    internal Dictionary<string, bool[]> Results { get; } = new(StringComparer.Ordinal);

    /// <summary>Numeric results (0–1 shares of scoring criteria) of whole-object evaluations, kept like <see cref="Results"/>.</summary>
    internal Dictionary<string, float[]> Shares { get; } = new(StringComparer.Ordinal);

    /// <summary>A stamp of every table's version: any applied change alters it.</summary>
    internal string TablesStamp() => string.Join(',', _tables.Values.Select(t => t.Name + ":" + t.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + t.Columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Records read from the store since start (to show what loading cost).</summary>
    public long RecordsLoaded { get; private set; }

    /// <summary>Runs <paramref name="work"/> alone: no change is applied meanwhile.</summary>
    public async Task<T> UseAsync<T>(Func<ProjectionView, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await work(new ProjectionView(this, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    internal ObjectTable Table(string name)
    {
        if (!_tables.TryGetValue(name, out var table))
        {
            table = new ObjectTable(name);
            _tables[name] = table;
        }

        return table;
    }

    internal IReadOnlyCollection<ObjectTable> Tables => [.. _tables.Values];

    internal LookupIndex Lookup(string sobject, string field, string target)
    {
        if (!_lookups.TryGetValue((sobject, field), out var lookup) || !string.Equals(lookup.Target.Name, target, StringComparison.OrdinalIgnoreCase))
        {
            var ids = (TextColumn)Table(sobject).Column(field)!;
            lookup = new LookupIndex(ids, Table(target));
            _lookups[(sobject, field)] = lookup;
        }

        return lookup;
    }

    /// <summary>Makes sure each (object, field) has its column, reading the mirror once per object for the columns it lacks.</summary>
    internal async Task EnsureColumnsAsync(IEnumerable<(string Object, string Field, FormulaType Type)> needs, CancellationToken cancellationToken)
    {
        foreach (var group in needs.GroupBy(n => n.Object, StringComparer.OrdinalIgnoreCase))
        {
            var table = Table(group.Key);
            var missing = group.Where(n => table.Column(n.Field) is null).DistinctBy(n => n.Field, StringComparer.OrdinalIgnoreCase).ToList();
            if (missing.Count == 0 && table.Loaded)
            {
                continue;
            }

            var columns = missing.Select(n => table.AddColumn(n.Field, n.Type)).ToList();
            await foreach (var record in _mirror.ListAsync(group.Key, cancellationToken))
            {
                var row = table.Upsert(record.Id);
                foreach (var column in columns)
                {
                    column.Set(row, record[column.Field]);
                }

                RecordsLoaded++;
            }

            table.Loaded = true;
        }
    }

    internal void RefreshLookups()
    {
        foreach (var lookup in _lookups.Values)
        {
            lookup.Refresh();
        }
    }

    public async ValueTask OnPutAsync(string type, IReadOnlyList<MirrorRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        // A table not tracked at all cannot miss this change: a later first load reads the store, which already has it.
        if (!_tables.TryGetValue(type, out var table))
        {
            return;
        }

        // Not cancellable: the store already holds the change, so the projection must take it too. Checked under the
        // gate: a first load in progress finishes before the change is applied over it.
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!table.Loaded)
            {
                return;
            }

            foreach (var record in records)
            {
                table.Apply(record.Id, record.Fields, merge: true);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask OnDeletedAsync(string type, string id, CancellationToken cancellationToken)
    {
        if (!_tables.TryGetValue(type, out var table))
        {
            return;
        }

        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (table.Loaded)
            {
                table.Delete(id);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
