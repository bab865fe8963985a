namespace SfCompanion.WebConsole.Rotation;

/// <summary>One rep row of the pool's reps form, as posted (caps blank for no limit).</summary>
public sealed class RepForm
{
    public string? UserId { get; set; }

    public string? Weight { get; set; }

    public string? DailyCap { get; set; }

    public string? OpenCap { get; set; }

    public bool OnLeave { get; set; }
}
