using System.Text;
using StackExchange.Redis;

namespace SfCompanion.Storage;

/// <summary>Documents: a hash per document, a sorted set of keys per kind, a sorted set per index term.</summary>
public sealed partial class RedisStore : IDocumentStore
{
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

    /// <summary>Checks every expected version first (returning the failing position and version), then deletes them all.</summary>
    private const string DeleteManyScript = """
        local prefix, kind = ARGV[1], ARGV[2]
        local count = (#ARGV - 2) / 2
        for i = 1, count do
          local key, expected = ARGV[1 + 2 * i], ARGV[2 + 2 * i]
          local cur = tonumber(redis.call('HGET', prefix .. 'doc:' .. kind .. ':' .. key, 'v') or '0')
          if expected ~= '' and cur ~= tonumber(expected) then return {-1, i - 1, cur} end
        end
        for i = 1, count do
          local key = ARGV[1 + 2 * i]
          local docKey = prefix .. 'doc:' .. kind .. ':' .. key
          local terms = redis.call('HGET', docKey, 'i')
          if terms then
            for term in string.gmatch(terms, '([^\30]+)') do redis.call('ZREM', prefix .. 'idx:' .. kind .. ':' .. term, key) end
          end
          redis.call('DEL', docKey)
          redis.call('ZREM', prefix .. 'kind:' .. kind, key)
        end
        return {count}
        """;

    /// <summary>The hash fields a read needs: data, version, updated.</summary>
    private static readonly RedisValue[] DocumentFields = ["d", "v", "t"];

    public async Task<StoredDocument?> GetAsync(string kind, string key, CancellationToken cancellationToken = default) =>
        ToDocument(kind, key, await _db.HashGetAsync(_keys.Document(kind, key), DocumentFields));

    /// <summary>The document read as <see cref="DocumentFields"/>, or null when it does not exist.</summary>
    private static StoredDocument? ToDocument(string kind, string key, RedisValue[] values) =>
        values[0].IsNull ? null : new(kind, key, values[0]!, (long)values[1], FromMs((long)values[2]));

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
        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(PutScript, values: PutArguments(kind, writes)))!;
        var version = (long)result[0];
        if (version < 0)
        {
            var failed = writes[(int)result[1]];
            throw new ConcurrencyConflictException(kind, failed.Key, failed.ExpectedVersion, (long)result[2]);
        }

        return version;
    }

    /// <summary>The ARGV of <see cref="PutScript"/>.</summary>
    private RedisValue[] PutArguments(string kind, IReadOnlyList<DocumentWrite> writes)
    {
        var args = new RedisValue[4 + (writes.Count * 4)];
        args[0] = NowMs();
        args[1] = _keys.Prefix;
        args[2] = kind;
        args[3] = writes.Count;
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            args[4 + (i * 4)] = w.Key;
            args[5 + (i * 4)] = ExpectedArgument(w.ExpectedVersion);
            args[6 + (i * 4)] = w.Data;
            args[7 + (i * 4)] = RedisKeys.EncodeTerms(w.Index);
        }

        return args;
    }

    /// <summary>An expected version as the scripts take it: '' for any.</summary>
    private static RedisValue ExpectedArgument(long? expectedVersion) => expectedVersion is { } v ? v : RedisValue.EmptyString;

    public async Task<bool> DeleteAsync(string kind, string key, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var result = (long)(await _db.ScriptEvaluateAsync(DeleteScript, values: [_keys.Prefix, kind, key, ExpectedArgument(expectedVersion)]));
        if (result < 0)
        {
            throw new ConcurrencyConflictException(kind, key, expectedVersion, -result - 1);
        }

        return result > 0;
    }

    public async Task DeleteManyAsync(string kind, IReadOnlyList<DocumentDelete> deletes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deletes);
        if (deletes.Count == 0)
        {
            return;
        }

        var arguments = new RedisValue[2 + (2 * deletes.Count)];
        arguments[0] = _keys.Prefix;
        arguments[1] = kind;
        for (var i = 0; i < deletes.Count; i++)
        {
            arguments[2 + (2 * i)] = deletes[i].Key;
            arguments[3 + (2 * i)] = ExpectedArgument(deletes[i].ExpectedVersion);
        }

        var result = (RedisResult[])(await _db.ScriptEvaluateAsync(DeleteManyScript, values: arguments))!;
        if ((long)result[0] < 0)
        {
            var failed = deletes[(int)result[1]];
            throw new ConcurrencyConflictException(kind, failed.Key, failed.ExpectedVersion, (long)result[2]);
        }
    }

    public async Task<DocumentPage> ListAsync(string kind, string? keyPrefix = null, string? afterKey = null, int limit = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Lexicographic range over a zset whose scores are all 0: byte order, the same as the SQLite adapter.
        RedisValue min = afterKey is not null ? "(" + afterKey : keyPrefix is not null ? "[" + keyPrefix : "-";
        RedisValue max = keyPrefix is not null ? (RedisValue)Concat(Encoding.UTF8.GetBytes("(" + keyPrefix), 0xFF) : "+";
        var keys = (RedisResult[])(await _db.ExecuteAsync("ZRANGE", _keys.Kind(kind), min, max, "BYLEX", "LIMIT", 0, limit + 1))!;
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

    /// <summary>The documents that still exist among <paramref name="keys"/>, in that order, read in one batch.</summary>
    private async Task<List<StoredDocument>> LoadAsync(string kind, List<string> keys)
    {
        var batch = _db.CreateBatch();
        var reads = keys.Select(k => batch.HashGetAsync(_keys.Document(kind, k), DocumentFields)).ToList();
        batch.Execute();
        var items = new List<StoredDocument>(keys.Count);
        for (var i = 0; i < keys.Count; i++)
        {
            if (ToDocument(kind, keys[i], await reads[i]) is { } document)
            {
                items.Add(document);
            }
        }

        return items;
    }

    public async Task<IReadOnlyList<StoredDocument>> FindAsync(string kind, IndexTerm term, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var keys = await _db.SortedSetRangeByRankAsync(_keys.Index(kind, term), 0, limit - 1);
        return await LoadAsync(kind, keys.Select(k => (string)k!).ToList());
    }

    public Task<long> CountAsync(string kind, CancellationToken cancellationToken = default) => _db.SortedSetLengthAsync(_keys.Kind(kind));
}
