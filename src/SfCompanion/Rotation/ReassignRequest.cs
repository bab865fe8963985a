namespace SfCompanion.Rotation;

/// <summary>Moves a rep's open suspects and open follow-up tasks to the pool's other reps.</summary>
public sealed record ReassignRequest
{
    /// <summary>The departing rep's user id (<c>005…</c>).</summary>
    public string From { get; init; } = "";

    /// <summary>Also mark the rep on leave in the pool (a new version), so they get nothing until set back.</summary>
    public bool MarkOnLeave { get; init; }
}
