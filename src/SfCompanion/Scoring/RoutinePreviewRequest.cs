namespace SfCompanion.Scoring;

/// <summary>A what-if for a draft routine, compared with a saved one.</summary>
public sealed record RoutinePreviewRequest
{
    public RoutineDefinition? Draft { get; init; }

    /// <summary>The saved routine to compare suspects with; defaults to the draft's name when saved.</summary>
    public string? Compare { get; init; }

    /// <summary>Best-scored records returned with their reasons (default 20, at most 500).</summary>
    public int? Sample { get; init; }
}
