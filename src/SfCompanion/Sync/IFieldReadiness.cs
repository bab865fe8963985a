namespace SfCompanion.Sync;

/// <summary>
/// What the last org readiness check knows about a field SfCompanion writes. The outbox asks it before queueing a value:
/// a value for a field the org lacks (or does not let the integration user edit) would be refused by Salesforce, and in
/// the same record as other fields it would take them down with it.
/// </summary>
public interface IFieldReadiness
{
    /// <summary>Why <paramref name="sobject"/>.<paramref name="field"/> cannot be written, with the fix; null when it can, or when not known.</summary>
    ReadinessProblem? Refusal(string sobject, string field);
}
