namespace SfCompanion.Tracking;

/// <summary>Per-campaign aggregates: anonymous clicks per link, and the figures last queued for the Campaign.</summary>
public sealed record CampaignAggregate
{
    public required string CampaignId { get; init; }

    /// <summary>Highest click-log sequence counted here, so a re-processed batch is not counted twice.</summary>
    public long ProcessedThrough { get; init; }

    public Dictionary<string, AnonymousCounts> Anonymous { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> LastQueued { get; init; } = new(StringComparer.Ordinal);
}
