using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>Logs: entries in <c>logs</c>, the last sequence of each log in <c>log_heads</c>, consumer cursors in <c>log_cursors</c>.</summary>
public sealed partial class SqliteStore : ILogStore
{
    // The last sequence of each log this store appended to; the writer lock guards it.
    private readonly Dictionary<string, long> _lastSequence = new(StringComparer.Ordinal);

    public async Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentOutOfRangeException.ThrowIfZero(payloads.Count);
        return await WriteAsync(tx => AppendCore(tx, log, payloads), cancellationToken, onRollback: () => _lastSequence.Remove(log));
    }

    /// <summary>Inserts the entries after the log's last sequence and moves its head; returns the first new sequence.</summary>
    private long AppendCore(SqliteTransaction tx, string log, IReadOnlyList<string> payloads)
    {
        if (!_lastSequence.TryGetValue(log, out var last))
        {
            last = StoredLastSequence(tx, log);
        }

        using var insert = Command(tx, "INSERT INTO logs (log, seq, ts, payload) VALUES ($log, $seq, $ts, $payload);", ("$log", log), ("$ts", NowMs()));
        var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
        var pPayload = insert.Parameters.Add("$payload", SqliteType.Text);
        var seq = last;
        foreach (var payload in payloads)
        {
            pSeq.Value = ++seq;
            pPayload.Value = payload;
            insert.ExecuteNonQuery();
        }

        // The head survives trimming, so sequences never restart after the log is trimmed empty.
        Execute(tx, "INSERT INTO log_heads (log, last_seq) VALUES ($log, $seq) ON CONFLICT (log) DO UPDATE SET last_seq = excluded.last_seq;",
            ("$log", log), ("$seq", seq));
        _lastSequence[log] = seq;
        return last + 1;
    }

    private static long StoredLastSequence(SqliteTransaction tx, string log)
    {
        var last = (long)Scalar(tx, "SELECT COALESCE(MAX(seq), 0) FROM logs WHERE log = $log;", ("$log", log))!;
        return Scalar(tx, "SELECT last_seq FROM log_heads WHERE log = $log;", ("$log", log)) is long head && head > last ? head : last;
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return await QueryRowsAsync(
            "SELECT seq, ts, payload FROM logs WHERE log = $log AND seq > $after ORDER BY seq LIMIT $max;",
            [("$log", log), ("$after", afterSequence), ("$max", max)],
            reader => new LogEntry(reader.GetInt64(0), FromMs(reader.GetInt64(1)), reader.GetString(2)),
            Math.Min(max, 4096),
            cancellationToken);
    }

    public async Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default) =>
        (long)(await QueryScalarAsync("SELECT COALESCE((SELECT last_seq FROM log_heads WHERE log = $log), 0);", [("$log", log)], cancellationToken))!;

    public async Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default) =>
        await QueryScalarAsync("SELECT seq FROM log_cursors WHERE log = $log AND consumer = $consumer;", [("$log", log), ("$consumer", consumer)], cancellationToken)
            is long seq ? seq : 0;

    public Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default) =>
        WriteAsync(tx => Execute(tx, "INSERT INTO log_cursors (log, consumer, seq) VALUES ($log, $consumer, $seq) ON CONFLICT (log, consumer) DO UPDATE SET seq = excluded.seq;",
            ("$log", log), ("$consumer", consumer), ("$seq", sequence)), cancellationToken);

    public async Task<IReadOnlyDictionary<string, long>> ListCursorsAsync(string log, CancellationToken cancellationToken = default) =>
        (await QueryRowsAsync(
            "SELECT consumer, seq FROM log_cursors WHERE log = $log;",
            [("$log", log)],
            reader => (Consumer: reader.GetString(0), Seq: reader.GetInt64(1)),
            16,
            cancellationToken)).ToDictionary(c => c.Consumer, c => c.Seq, StringComparer.Ordinal);

    public Task DeleteCursorsAsync(string log, IReadOnlyCollection<string> consumers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumers);
        return consumers.Count == 0
            ? Task.CompletedTask
            : WriteAsync(tx =>
            {
                using var command = Command(tx, "DELETE FROM log_cursors WHERE log = $log AND consumer = $consumer;", ("$log", log));
                var consumer = command.Parameters.Add("$consumer", SqliteType.Text);
                foreach (var name in consumers)
                {
                    consumer.Value = name;
                    command.ExecuteNonQuery();
                }

                return 0L;
            }, cancellationToken);
    }

    public async Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default) =>
        await WriteAsync(tx => Execute(tx, "DELETE FROM logs WHERE log = $log AND ts < $cutoff;", ("$log", log), ("$cutoff", olderThan.ToUnixTimeMilliseconds())), cancellationToken);

    public async Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return 0;
        }

        return await WriteAsync(tx =>
        {
            using var command = Command(tx, "DELETE FROM logs WHERE log = $log AND seq = $seq;", ("$log", log));
            var seq = command.Parameters.Add("$seq", SqliteType.Integer);
            long removed = 0;
            foreach (var sequence in sequences.Distinct())
            {
                seq.Value = sequence;
                removed += command.ExecuteNonQuery();
            }

            return removed;
        }, cancellationToken);
    }
}
