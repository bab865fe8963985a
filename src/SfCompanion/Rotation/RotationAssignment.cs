namespace SfCompanion.Rotation;

/// <summary>A suspect assigned by a pool and not yet worked: who has it, since when, how many times it went on.</summary>
/// <param name="Object">Lead, Contact or Account.</param>
/// <param name="Recycles">How many times it went to the next rep for want of activity.</param>
/// <param name="Parked">Recycled the maximum number of times: it stays with its owner and is no longer recycled.</param>
public sealed record RotationAssignment(string Object, string Rep, DateTimeOffset AssignedAt, int Score, int Recycles = 0, bool Parked = false)
{
    /// <summary>The follow-up task's <c>Sfc_Key__c</c>: one task per record and assignment round, upserted again when it changes hands.</summary>
    public static string TaskKey(string recordId, int recycles) => "sfc-rot-" + recordId + "-" + recycles.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
