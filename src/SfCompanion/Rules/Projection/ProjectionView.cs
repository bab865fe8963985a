using SfCompanion.Formulas;
using SfCompanion.Sync;

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
}
