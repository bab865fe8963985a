namespace SfCompanion.Soak;

/// <summary>An opt-out the load generator made and the consent page confirmed (preference page or RFC 8058 one-click).</summary>
internal sealed record ConsentAction(string RecipientId, string Channel, string Source, DateTimeOffset At);
