namespace SfCompanion.Rules.Projection;

/// <summary>One hop of a field path: the lookup field on <see cref="Object"/> and the object it leads to.</summary>
public sealed record Hop(string Object, string LookupField, string Target);

/// <summary>
/// Where a formula's field lives: the hops from the formula's object (<c>Contact → Account</c>), then the field on the
/// last object; <see cref="Rollup"/> names a roll-up computed onto that object instead of a mirrored field.
/// </summary>
public sealed record FieldKey(IReadOnlyList<Hop> Hops, string Object, string Field, string? Rollup = null)
{
    /// <summary>The column name in the object's table: the field, or <c>@name</c> for a roll-up.</summary>
    public string Column => Rollup is null ? Field : "@" + Rollup;
}
