using SfCompanion.Sync;

namespace SfCompanion.Scoring;

/// <summary>The Salesforce fields scoring routines write by default (their targets), on the objects routines score.</summary>
internal sealed class ScoringWrittenFields : IWrittenFields
{
    public string Capability => "Scoring";

    public IEnumerable<WrittenField> Fields()
    {
        var targets = new RoutineTargets();
        foreach (var sobject in new[] { "Lead", "Contact", "Account" })
        {
            yield return new(sobject, targets.Score!, Capability, "double");
            yield return new(sobject, targets.Band!, Capability, "string");
            yield return new(sobject, targets.Reasons!, Capability, "textarea");
            yield return new(sobject, targets.Tag!, Capability, "string");
            yield return new(sobject, targets.MatchDate!, Capability, "date");
        }
    }
}
