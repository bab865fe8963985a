using SfCompanion.Hosting;

namespace SfCompanion.Rotation;

/// <summary>The <c>Rotation</c> section: what follows a rotation run.</summary>
public sealed class RotationOptions : ISectionOptions
{
    public static string SectionName => "Rotation";

    /// <summary>Ask for a writeback run when a rotation run queued owners and tasks, so reps see them within the minute.</summary>
    public bool WritebackAfterRun { get; set; } = true;
}
