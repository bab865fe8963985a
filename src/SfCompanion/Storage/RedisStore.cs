using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace SfCompanion.Storage;

/// <summary>
/// The shared adapter for several replicas. Every key starts with the configured prefix. Conditional writes,
/// batched appends and leases run as Lua scripts so each is atomic on the server. Single-node Redis (or a
/// primary with replicas); Redis Cluster is not supported because scripts touch keys computed at run time.
/// </summary>
public sealed class RedisStore : IStore, IAsyncDisposable, IDisposable
{
    private const char TermSeparator = '\u001e';
    private const char NameValueSeparator = '\u001f';

    // Checks every expected version first, then writes: a batch is all or nothing.
    // ARGV: now, prefix, kind, count, then per document: key, expected ('' = any), data, terms.
    private const string PutScript = """
        local now, prefix, kind, count = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
        local base = 5
        for i = 0, count - 1 do
          local key, expected = ARGV[base + i * 4], ARGV[base + i * 4 + 1]
          if expected ~= '' then
            local cur = tonumber(redis.call('HGET', prefix .. 'doc:' .. kind .. ':' .. key, 'v') or '0')
            if cur ~= tonumber(expected) then return {-1, i, cur} end
          end
        end
        local lastVersion = 0
        for i = 0, count - 1 do
          local key, data, terms = ARGV[base + i * 4], ARGV[base + i * 4 + 2], ARGV[base + i * 4 + 3]
          local docKey = prefix .. 'doc:' .. kind .. ':' .. key
          local old = redis.call('HMGET', docKey, 'v', 'i')
          if old[2] then
            for term in string.gmatch(old[2], '([^\30]+)') do redis.call('ZREM', prefix .. 'idx:' .. kind .. ':' .. term, key) end
          end
          lastVersion = tonumber(old[1] or '0') + 1
          redis.call('HSET', docKey, 'd', data, 'v', lastVersion, 't', now, 'i', terms)
          redis.call('ZADD', prefix .. 'kind:' .. kind, 0, key)
          for term in string.gmatch(terms, '([^\30]+)') do redis.call('ZADD', prefix .. 'idx:' .. kind .. ':' .. term, 0, key) end
        end
        return {lastVersion, -1, 0}
        """;

    private const string DeleteScript = """
        local prefix, kind, key, expected = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
        local docKey = prefix .. 'doc:' .. kind .. ':' .. key
        local old = redis.call('HMGET', docKey, 'v', 'i')
        local cur = tonumber(old[1] or '0')
        if expected ~= '' and cur ~= tonumber(expected) then return -cur - 1 end
        if old[2] then
          for term in string.gmatch(old[2], '([^\30]+)') do redis.call('ZREM', prefix .. 'idx:' .. kind .. ':' .. term, key) end
        end
        redis.call('DEL', docKey)
        redis.call('ZREM', prefix .. 'kind:' .. kind, key)
        return cur
        """;

    // KEYS: stream, head. ARGV: timestamp, payloads... Entry ids are "<sequence>-1" so reads by sequence are range reads.
    private const string AppendScript = """
        local n = #ARGV - 1
        local last = redis.call('INCRBY', KEYS[2], n)
        local first = last - n + 1
        for i = 1, n do redis.call('XADD', KEYS[1], (first + i - 1) .. '-1', 't', ARGV[1], 'p', ARGV[i + 1]) end
        return first
        """;

    // KEYS: lease. ARGV: owner, expiresAt, now (milliseconds from the caller's clock, so tests can move time).
    private const string AcquireScript = """
        local holder = redis.call('HMGET', KEYS[1], 'o', 'e')
        if holder[1] and holder[1] ~= ARGV[1] and tonumber(holder[2]) > tonumber(ARGV[3]) then return 0 end
        redis.call('HSET', KEYS[1], 'o', ARGV[1], 'e', ARGV[2])
        return 1
        """;

    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'o') == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly bool _ownsConnection;

    private RedisStore(ConnectionMultiplexer connection, string keyPrefix, TimeProvider time, bool ownsConnection)
    {
        _connection = connection;
        _db = connection.GetDatabase();
        _prefix = keyPrefix + ":";
        _time = time;
        _ownsConnection = ownsConnection;
    }

    public string ProviderName => "Redis";

    /// <summary>Connects to Redis. Fails fast with a message naming the setting when the string is malformed or the server unreachable.</summary>
    public static async Task<RedisStore> ConnectAsync(RedisStorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new StoreConfigurationException(
                "Storage:Redis:ConnectionString is empty while Storage:Provider = Redis. Set it (env STORAGE__REDIS__CONNECTIONSTRING), e.g. 'localhost:6379'.");
        }

        ConfigurationOptions config;
        try
        {
            config = ConfigurationOptions.Parse(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreConfigurationException(
                $"Storage:Redis:ConnectionString is malformed ({ex.Message}). Expected 'host:port[,password=…][,ssl=true]'.", ex);
        }

        config.AbortOnConnectFail = true;
        // INFO (persistence check for /health/ready) is an admin command for StackExchange.Redis.
        config.AllowAdmin = true;
        config.ConnectTimeout = options.ConnectTimeoutMilliseconds;
        config.ClientName ??= "sfcompanion";
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(config);
            return new RedisStore(connection, options.KeyPrefix, time ?? TimeProvider.System, ownsConnection: true);
        }
        catch (RedisConnectionException ex)
        {
            throw new StoreConfigurationException(
                $"Storage:Redis:ConnectionString = '{Redact(config)}': Redis is unreachable ({FirstLine(ex.Message)}). Start Redis or fix the address; or set Storage:Provider = Sqlite for a single node.", ex);
        }
    }

    /// <summary>Uses an existing connection (tests share one connection and vary the prefix).</summary>
    public static RedisStore FromConnection(ConnectionMultiplexer connection, string keyPrefix, TimeProvider? time = null) =>
        new(connection, keyPrefix, time ?? TimeProvider.System, ownsConnection: false);

    private static string Redact(ConfigurationOptions config) => string.Join(",", config.EndPoints.Select(e => e.ToString()));

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        var sentence = line.IndexOf(". ", StringComparison.Ordinal);
        return sentence > 0 ? line[..(sentence + 1)] : line;
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _db.PingAsync();
            var server = _connection.GetServers().FirstOrDefault(s => s.IsConnected && !s.IsReplica);
            if (server is null)
            {
                return new StoreHealth(false, false, "Redis: no connected primary.");
            }

            var info = await server.InfoAsync("persistence");
            var values = info.SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var aof = values.TryGetValue("aof_enabled", out var enabled) && enabled == "1";
            return aof
                ? new StoreHealth(true, true, $"Redis {server.Version} at {server.EndPoint}, AOF on")
                : new StoreHealth(true, false,
                    $"Redis {server.Version} at {server.EndPoint} has persistence off (appendonly no): clicks and consent proofs would not survive a Redis restart. Set 'appendonly yes' (and 'appendfsync everysec' or 'always').");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new StoreHealth(false, false, $"Redis unreachable: {FirstLine(ex.Message)}");
        }
    }

    // ---- documents ----

    private RedisKey DocKey(string kind, string key) => _prefix + "doc:" + kind + ":" + key;

    private RedisKey KindKey(string kind) => _prefix + "kind:" + kind;

    public async Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default)
    {
        var values = await _db.HashGetAsync(DocKey(kind, key), ["d", "v", "t"]);
        return values[0].IsNull ? null : ToDocument(kind, key, values);
    }

    private static StoredDocument ToDocument(string kind, string key, RedisValue[] values) =>
        new(kind, key, values[0]!, (long)values[1], DateTimeOffset.FromUnixTimeMilliseconds((long)values[2]));

    public async Task<long> PutAsync(string kind, DocumentWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return await PutCoreAsync(kind, [write]);
    }

    public Task PutManyAsync(string kind, IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return writes.Count == 0 ? Task.CompletedTask : PutCoreAsync(kind, writes);
    }

    private async Task<long> PutCoreAsync(string kind, IReadOnlyList<DocumentWrite> writes)
    {
        var args = new RedisValue[4 + (writes.Count * 4)];
        args[0] = NowMs();
        args[1] = _prefix;
        args[2] = kind;
        args[3] = writes.Count;
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            args[4 + (i * 4)] = w.Key;
            args[5 + (i * 4)] = w.ExpectedVersion is { } v ? v : RedisValue.EmptyString;
            args[6 + (i * 4)] = w.Data;
            args[7 + (i * 4)] = EncodeTerms(w.Index);
        }

        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(PutScript, values: args))!;
        var version = (long)result[0];
        if (version < 0)
        {
            var failed = writes[(int)result[1]];
            throw new ConcurrencyConflictException(kind, failed.Key, failed.ExpectedVersion, (long)result[2]);
        }

        return version;
    }

    private static string EncodeTerms(IReadOnlyList<IndexTerm>? terms)
    {
        if (terms is not { Count: > 0 })
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            if (term.Name.Contains(TermSeparator, StringComparison.Ordinal) || term.Value.Contains(TermSeparator, StringComparison.Ordinal)
                || term.Name.Contains(NameValueSeparator, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Index term '{term.Name}' contains a reserved control character.", nameof(terms));
            }

            builder.Append(term.Name).Append(NameValueSeparator).Append(term.Value).Append(TermSeparator);
        }

        return builder.ToString();
    }

    public async Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = (long)(await _db.ScriptEvaluateAsync(DeleteScript, values:
            [_prefix, kind, key, expectedVersion is { } v ? v : RedisValue.EmptyString]));
        if (result < 0)
        {
            throw new ConcurrencyConflictException(kind, key, expectedVersion, -result - 1);
        }

        return result > 0;
    }

    public async Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Lexicographic range over a zset whose scores are all 0: byte order, the same as the SQLite adapter.
        RedisValue min = afterKey is not null ? "(" + afterKey : keyPrefix is not null ? "[" + keyPrefix : "-";
        RedisValue max = keyPrefix is not null ? (RedisValue)Concat(Encoding.UTF8.GetBytes("(" + keyPrefix), 0xFF) : "+";
        var keys = (RedisResult[])(await _db.ExecuteAsync("ZRANGE", KindKey(kind), min, max, "BYLEX", "LIMIT", 0, limit + 1))!;
        var items = await LoadAsync(kind, keys.Take(limit).Select(k => (string)k!).ToList());
        return new DocumentPage(items, keys.Length > limit && items.Count > 0 ? items[^1].Key : null);
    }

    private static byte[] Concat(byte[] head, byte tail)
    {
        var result = new byte[head.Length + 1];
        head.CopyTo(result, 0);
        result[^1] = tail;
        return result;
    }

    private async Task<List<StoredDocument>> LoadAsync(string kind, List<string> keys)
    {
        var batch = _db.CreateBatch();
        var reads = keys.Select(k => batch.HashGetAsync(DocKey(kind, k), ["d", "v", "t"])).ToList();
        batch.Execute();
        var items = new List<StoredDocument>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            var values = await reads[i];
            if (!values[0].IsNull)
            {
                items.Add(ToDocument(kind, keys[i], values));
            }
        }

        return items;
    }

    public async Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var keys = await _db.SortedSetRangeByRankAsync(_prefix + "idx:" + kind + ":" + term.Name + NameValueSeparator + term.Value, 0, limit - 1);
        return await LoadAsync(kind, keys.Select(k => (string)k!).ToList());
    }

    public Task<long> CountAsync(string kind, CancellationToken cancellationToken = default) => _db.SortedSetLengthAsync(KindKey(kind));

    // ---- logs ----

    private RedisKey StreamKey(string log) => _prefix + "log:" + log;

    private RedisKey HeadKey(string log) => _prefix + "loghead:" + log;

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

        return (long)await _db.ScriptEvaluateAsync(AppendScript, [StreamKey(log), HeadKey(log)], args);
    }

    public async Task<IReadOnlyList<LogEntry>> ReadAsync(string log, long afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var entries = await _db.StreamRangeAsync(StreamKey(log), (afterSequence + 1).ToString(CultureInfo.InvariantCulture) + "-0", "+", max);
        var result = new List<LogEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var id = (string)entry.Id!;
            var sequence = long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            result.Add(new LogEntry(sequence, DateTimeOffset.FromUnixTimeMilliseconds((long)entry["t"]), entry["p"]!));
        }

        return result;
    }

    public async Task<long> GetLastSequenceAsync(string log, CancellationToken cancellationToken = default)
    {
        var value = await _db.StringGetAsync(HeadKey(log));
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<long> GetCursorAsync(string log, string consumer, CancellationToken cancellationToken = default)
    {
        var value = await _db.HashGetAsync(_prefix + "logcursor:" + log, consumer);
        return value.IsNull ? 0 : (long)value;
    }

    public Task SetCursorAsync(string log, string consumer, long sequence, CancellationToken cancellationToken = default) =>
        _db.HashSetAsync(_prefix + "logcursor:" + log, consumer, sequence);

    public async Task<long> TrimAsync(string log, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        // Entries are appended in time order: find the first one to keep, then trim everything below its id.
        var cutoff = olderThan.ToUnixTimeMilliseconds();
        var key = StreamKey(log);
        RedisValue start = "-";
        RedisValue? keepFrom = null;
        while (keepFrom is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _db.StreamRangeAsync(key, start, "+", 1000);
            if (page.Length == 0)
            {
                break;
            }

            foreach (var entry in page)
            {
                if ((long)entry["t"] >= cutoff)
                {
                    keepFrom = entry.Id;
                    break;
                }
            }

            start = "(" + page[^1].Id;
        }

        var before = await _db.StreamLengthAsync(key);
        if (keepFrom is null)
        {
            await _db.KeyDeleteAsync(key);
            return before;
        }

        await _db.ExecuteAsync("XTRIM", key, "MINID", keepFrom.Value);
        return before - await _db.StreamLengthAsync(key);
    }

    public async Task<long> DeleteAsync(string log, IReadOnlyCollection<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        long removed = 0;
        foreach (var chunk in sequences.Distinct().Chunk(500))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Entries are stored with the id "{sequence}-1" (see AppendScript).
            removed += await _db.StreamDeleteAsync(StreamKey(log), chunk.Select(s => (RedisValue)(s.ToString(CultureInfo.InvariantCulture) + "-1")).ToArray());
        }

        return removed;
    }

    // ---- leases ----

    public async Task<bool> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = NowMs();
        return (long)await _db.ScriptEvaluateAsync(AcquireScript, [_prefix + "lease:" + name], [owner, now + (long)duration.TotalMilliseconds, now]) == 1;
    }

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default) =>
        (long)await _db.ScriptEvaluateAsync(ReleaseScript, [_prefix + "lease:" + name], [owner]) == 1;

    public async Task<string?> GetHolderAsync(string name, CancellationToken cancellationToken = default)
    {
        var values = await _db.HashGetAsync(_prefix + "lease:" + name, ["o", "e"]);
        return !values[0].IsNull && (long)values[1] > NowMs() ? (string?)values[0] : null;
    }

    // ---- counters ----

    public Task<long> IncrementAsync(string name, long delta = 1, CancellationToken cancellationToken = default) =>
        _db.StringIncrementAsync(_prefix + "ctr:" + name, delta);

    public async Task<long> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = await _db.StringGetAsync(_prefix + "ctr:" + name);
        return value.IsNull ? 0 : (long)value;
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync();
        }
    }
}
