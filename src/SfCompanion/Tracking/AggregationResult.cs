namespace SfCompanion.Tracking;

/// <summary>What an aggregation run did.</summary>
public sealed record AggregationResult
{
    public long ClicksRead { get; init; }

    public long HumanClicks { get; init; }

    public long FlaggedClicks { get; init; }

    public long AnonymousClicks { get; init; }

    /// <summary>Records (leads, contacts, members, campaigns, tokens, tasks, statuses) with values queued in the outbox.</summary>
    public long RecordsQueued { get; init; }

    /// <summary>Clickers whose member is not in the mirror yet; retried next run.</summary>
    public long Waiting { get; init; }

    /// <summary>When the oldest click left for later (younger than <c>Tracking:SettleSeconds</c>) settles; null when none is left.</summary>
    public DateTimeOffset? NextSettlesAt { get; init; }
}
