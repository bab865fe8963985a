namespace SfCompanion.Storage;

/// <summary>Append-only logs (clicks, consent events, job runs): durable batched appends, ordered reads, consumer cursors, trimming by age.</summary>
public interface ILogStore
{
    /// <summary>Appends entries in order, durably, in one write. Returns the sequence of the first entry.</summary>
    Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="max"/> entries with a sequence greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The last sequence a named consumer has processed (0 if none).</summary>
    Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default);

    Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default);

    /// <summary>Every consumer cursor of the log: name and sequence.</summary>
    Task<IReadOnlyDictionary<string, long>> ListCursorsAsync(string log, CancellationToken cancellationToken = default);

    /// <summary>Removes the named cursors of the log (consumers that are gone); unknown names are ignored.</summary>
    Task DeleteCursorsAsync(string log, IReadOnlyCollection<string> consumers, CancellationToken cancellationToken = default);

    /// <summary>Removes entries older than <paramref name="olderThan"/>; returns how many were removed.</summary>
    Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the given entries (an erasure request: a person's entries, found by sequence); sequences not in the log
    /// are ignored. The other entries and the sequence numbering are unchanged. Returns how many were removed.
    /// </summary>
    Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence appended so far (0 for an empty log).</summary>
    Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default);
}
