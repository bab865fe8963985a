namespace SfCompanion.Rules.Projection;

/// <summary>
/// A lookup from one object to another (Contact.AccountId → Account): for each distinct id held by the lookup
/// column, the target's row (or -1). Refreshed before each evaluation in O(distinct ids), so following a
/// relationship costs two array reads per record.
/// </summary>
public sealed class LookupIndex(TextColumn ids, ObjectTable target)
{
    private int[] _rowOfCode = [-1];
    private long _targetVersion = -1;
    private int _distinct = -1;

    public ObjectTable Target { get; } = target;

    public TextColumn Ids { get; } = ids;

    public int Parent(int row)
    {
        var code = Ids.Code(row);
        var map = _rowOfCode;
        return code < map.Length ? map[code] : -1;
    }

    public void Refresh()
    {
        if (_targetVersion == Target.Version && _distinct == Ids.DistinctValues)
        {
            return;
        }

        var map = new int[Ids.DistinctValues + 1];
        map[0] = -1;
        for (var code = 1; code < map.Length; code++)
        {
            var row = Target.RowOf(Ids.ValueOf(code)!);
            map[code] = row >= 0 && Target.IsLive(row) ? row : -1;
        }

        _rowOfCode = map;
        _targetVersion = Target.Version;
        _distinct = Ids.DistinctValues;
    }
}
