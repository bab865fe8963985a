namespace SfCompanion.Rotation;

/// <summary>A rep of a pool: a Salesforce user (<c>005…</c>), their share of the flow and their limits.</summary>
public sealed record PoolRep
{
    public string UserId { get; init; } = "";

    /// <summary>Relative share of the pool's assignments (e.g. 2 gets twice what 1 gets); more than 0.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>At most this many assignments per working day (in the pool's time zone); null: no limit.</summary>
    public int? DailyCap { get; init; }

    /// <summary>At most this many assigned suspects not yet worked at once; null: no limit.</summary>
    public int? OpenCap { get; init; }

    /// <summary>On leave: gets nothing until set back to false.</summary>
    public bool OnLeave { get; init; }
}
