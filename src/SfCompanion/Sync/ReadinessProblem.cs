namespace SfCompanion.Sync;

/// <summary>
/// One thing the org lacks for SfCompanion: an object the integration user cannot read (<paramref name="Field"/> null), a
/// field missing, or a field it cannot edit. <paramref name="Capabilities"/> are those it degrades; <paramref name="Message"/>
/// says all of it, fix included.
/// </summary>
public sealed record ReadinessProblem(string Object, string? Field, string Kind, IReadOnlyList<string> Capabilities, string Message, string Fix)
{
    public const string ObjectNotReadable = "object-not-readable";
    public const string FieldMissing = "field-missing";
    public const string FieldNotEditable = "field-not-editable";

    /// <summary>The fix for fields SfCompanion's package deploys.</summary>
    public const string DeployFix = "deploy `connected-app/` with `sf project deploy start -d connected-app/force-app`, then assign the permission set `SfCompanion_Integration` to the integration user";

    /// <summary>The fix for access the integration user lacks.</summary>
    public const string AssignFix = "assign the permission set `SfCompanion_Integration` to the integration user";

    /// <summary><c>Object.Field</c>, or the object alone.</summary>
    public string Target => Field is null ? Object : Object + "." + Field;
}

/// <summary>The result of an org readiness check: its problems and the capabilities they degrade.</summary>
public sealed record OrgReadinessReport(DateTimeOffset CheckedAt, IReadOnlyList<ReadinessProblem> Problems, string? Error)
{
    /// <summary>Capabilities that keep working without the fields or objects of <see cref="Problems"/> (their writes to them are refused).</summary>
    public IReadOnlyList<string> DegradedCapabilities =>
        [.. Problems.SelectMany(p => p.Capabilities).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
