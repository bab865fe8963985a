namespace SfCompanion.Scoring;

/// <summary>A criterion adding up to <see cref="Weight"/> points (before scaling to 100).</summary>
public sealed record WeightedCriterion
{
    public string Name { get; init; } = "";

    /// <summary>Boolean (weight or nothing) or Number (0–1 of the weight, clamped).</summary>
    public string Formula { get; init; } = "";

    public double Weight { get; init; } = 1;
}
