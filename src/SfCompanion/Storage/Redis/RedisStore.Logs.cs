using System.Globalization;
using StackExchange.Redis;

namespace SfCompanion.Storage;

/// <summary>Logs: a stream per log whose entry ids are the sequences, a head counter per log, a hash of consumer cursors.</summary>
public sealed partial class RedisStore : ILogStore
{
    // KEYS: stream, head. ARGV: timestamp, payloads... Entry ids are "<sequence>-1" so reads by sequence are range reads.
    private const string AppendScript = """
        local n = #ARGV - 1
        local last = redis.call('INCRBY', KEYS[2], n)
        local first = last - n + 1
        for i = 1, n do redis.call('XADD', KEYS[1], (first + i - 1) .. '-1', 't', ARGV[1], 'p', ARGV[i + 1]) end
        return first
        """;

    public async Task<long> AppendAsync(string log, IReadOnlyList<string> payloads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentOutOfRangeException.ThrowIfZero(payloads.Count);
        var args = new RedisValue[payloads.Count + 1];
        args[0] = NowMs();
        for (var i = 0; i < payloads.Count; i++)
        {
            args[i + 1] = payloads[i];
        }

        return (long)await _db.ScriptEvaluateAsync(AppendScript, [_keys.Log(log), _keys.LogHead(log)], args);
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var entries = await _db.StreamRangeAsync(_keys.Log(log), (afterSequence + 1).ToString(CultureInfo.InvariantCulture) + "-0", "+", max);
        var result = new List<LogEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            var sequence = long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            result.Add(new LogEntry(sequence, FromMs((long)entry["t"]), entry["p"]!));
        }

        return result;
    }

    public async Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default) =>
        OrZero(await _db.StringGetAsync(_keys.LogHead(log)));

    public async Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default) =>
        OrZero(await _db.HashGetAsync(_keys.LogCursors(log), consumer));

    public Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default) =>
        _db.HashSetAsync(_keys.LogCursors(log), consumer, sequence);

    public async Task<IReadOnlyDictionary<string, long>> ListCursorsAsync(string log, CancellationToken cancellationToken = default) =>
        (await _db.HashGetAllAsync(_keys.LogCursors(log))).ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);

    public Task DeleteCursorsAsync(string log, IReadOnlyCollection<string> consumers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumers);
        return consumers.Count == 0 ? Task.CompletedTask : _db.HashDeleteAsync(_keys.LogCursors(log), consumers.Select(c => (RedisValue)c).ToArray());
    }

    public async Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        var key = _keys.Log(log);
        var keepFrom = await FirstIdNotOlderThanAsync(key, olderThan.ToUnixTimeMilliseconds(), cancellationToken);
        var before = await _db.StreamLengthAsync(key);
        if (keepFrom is null)
        {
            await _db.KeyDeleteAsync(key);
            return before;
        }

        await _db.ExecuteAsync("XTRIM", key, "MINID", keepFrom.Value);
        return before - await _db.StreamLengthAsync(key);
    }

    /// <summary>
    /// The id of the first entry written at or after <paramref name="cutoff"/> (ms), or null when every entry is older.
    /// Entries are appended in time order, so everything below that id can be trimmed.
    /// </summary>
    private async Task<RedisValue?> FirstIdNotOlderThanAsync(RedisKey key, long cutoff, CancellationToken cancellationToken)
    {
        RedisValue start = "-";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _db.StreamRangeAsync(key, start, "+", 1000);
            if (page.Length == 0)
            {
                return null;
            }

            foreach (var entry in page)
            {
                if ((long)entry["t"] >= cutoff)
                {
                    return entry.Id;
                }
            }

            start = "(" + page[^1].Id;
        }
    }

    public async Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        long removed = 0;
        foreach (var chunk in sequences.Distinct().Chunk(500))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Entries are stored with the id "{sequence}-1" (see AppendScript).
            removed += await _db.StreamDeleteAsync(_keys.Log(log), chunk.Select(s => (RedisValue)(s.ToString(CultureInfo.InvariantCulture) + "-1")).ToArray());
        }

        return removed;
    }
}
