namespace SfCompanion.Tracking;

/// <summary>A registered link: where it leads lives here, on the server; the URL in the email carries only its id and a token.</summary>
public sealed record TrackedLink
{
    public required string Id { get; init; }

    public required string CampaignId { get; init; }

    public required string Label { get; init; }

    /// <summary>The destination as registered, without the UTM parameters.</summary>
    public required string Url { get; init; }

    public IReadOnlyDictionary<string, string> Utm { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the redirect sends people: <see cref="Url"/> with the UTM parameters appended.</summary>
    public required string Destination { get; init; }

    /// <summary>The campaign's hidden link: people never see it, so whatever follows it is automated.</summary>
    public bool IsHoneypot { get; init; }

    public bool Disabled { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
