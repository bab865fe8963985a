namespace SfCompanion.Writeback;

/// <summary>Outcome of a writeback pass.</summary>
public sealed record WritebackResult
{
    public long Examined { get; init; }

    /// <summary>Entries whose values Salesforce already holds (per the mirror): removed at no API cost.</summary>
    public long Unchanged { get; init; }

    public long Sent { get; init; }

    public long Succeeded { get; init; }

    public long Retrying { get; init; }

    public long DeadLettered { get; init; }

    public long ApiCalls { get; init; }

    public IReadOnlyDictionary<string, long> CallsByOperation { get; init; } = new Dictionary<string, long>();

    /// <summary>Why the pass stopped early (budget spent, Salesforce unreachable); null when it finished.</summary>
    public string? StoppedBecause { get; init; }
}
