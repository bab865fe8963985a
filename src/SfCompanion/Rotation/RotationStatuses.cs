namespace SfCompanion.Rotation;

public static class RotationStatuses
{
    public const string Ok = "ok";
    public const string Idle = "idle";
    public const string Preview = "preview";
    public const string Failed = "failed";
}
