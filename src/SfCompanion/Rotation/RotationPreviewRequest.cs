namespace SfCompanion.Rotation;

/// <summary>A preview of a saved pool (<see cref="Pool"/>) or of a draft (<see cref="Draft"/>).</summary>
public sealed record RotationPreviewRequest
{
    public string? Pool { get; init; }

    public RotationPool? Draft { get; init; }
}
