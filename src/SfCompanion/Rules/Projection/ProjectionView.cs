using SfCompanion.Formulas;

namespace SfCompanion.Rules.Projection;

/// <summary>The projection while its gate is held: what evaluations read.</summary>
public sealed class ProjectionView(ColumnarProjection projection, CancellationToken cancellationToken)
{
    public ObjectTable Table(string name) => projection.Table(name);

    public LookupIndex Lookup(string sobject, string field, string target) => projection.Lookup(sobject, field, target);

    public Task EnsureColumnsAsync(IEnumerable<(string Object, string Field, FormulaType Type)> needs) => projection.EnsureColumnsAsync(needs, cancellationToken);

    public void RefreshLookups() => projection.RefreshLookups();

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Whether the roll-up column <paramref name="column"/> already holds what <paramref name="stamp"/> describes.</summary>
    public bool IsCurrent(string column, string stamp) => projection.RollupStamps.TryGetValue(column, out var current) && current == stamp;

    public void MarkCurrent(string column, string stamp) => projection.RollupStamps[column] = stamp;

    public string TablesStamp() => projection.TablesStamp();

    /// <summary>
    /// The state a whole-object result depends on: every table's version and every roll-up column's stamp (itself
    /// holding the date). A result stored under a key ending with it is valid while nothing changed.
    /// </summary>
    public string StateStamp() => projection.TablesStamp() + "#" + string.Join(';', projection.RollupStamps.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value.GetHashCode(StringComparison.Ordinal)));

    public bool TryGetResult(string key, out bool[] result) => projection.Results.TryGetValue(key, out result!);

    public bool TryGetShares(string key, out float[] result) => projection.Shares.TryGetValue(key, out result!);

    /// <summary>Keeps numeric results (at most 32 arrays: the oldest state's go first when full).</summary>
    public void KeepShares(string key, float[] result)
    {
        if (projection.Shares.Count >= 32)
        {
            projection.Shares.Clear();
        }

        projection.Shares[key] = result;
    }

    /// <summary>Keeps a result (at most 64: the oldest state's results go first when full).</summary>
    public void KeepResult(string key, bool[] result)
    {
        if (projection.Results.Count >= 64)
        {
            projection.Results.Clear();
        }

        projection.Results[key] = result;
    }
}
