namespace SfCompanion.Writeback;

/// <summary>A record Salesforce refused, kept with the error until an admin re-queues or discards it.</summary>
public sealed record DeadLetter
{
    public required OutboxEntry Entry { get; init; }

    public required string ErrorCode { get; init; }

    public required string Message { get; init; }

    public IReadOnlyList<string> ErrorFields { get; init; } = [];

    public DateTimeOffset FailedAt { get; init; }
}
