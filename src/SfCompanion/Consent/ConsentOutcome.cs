namespace SfCompanion.Consent;

/// <summary>What a request changed.</summary>
public sealed record ConsentOutcome(ConsentState State, IReadOnlyList<ConsentEvent> Recorded)
{
    public bool Changed => Recorded.Any(e => ConsentActions.IsChange(e.Action));
}
