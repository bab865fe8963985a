using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Soql;

/// <summary>Open query locators behind <c>nextRecordsUrl</c>: the matched rows, served page by page.</summary>
internal sealed class QueryCursors(TimeProvider time)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(15);
    private readonly Dictionary<string, Cursor> _cursors = new(StringComparer.Ordinal);
    private long _next = 1;

    public string Open(CompiledQuery query, List<SObjectRecord> rows, int batchSize)
    {
        lock (_cursors)
        {
            var now = time.GetUtcNow();
            foreach (var expired in _cursors.Where(c => now - c.Value.LastUsed > IdleTimeout).Select(c => c.Key).ToList())
            {
                _cursors.Remove(expired);
            }

            var id = SalesforceId.Create("01g", _next++)[..15];
            _cursors[id] = new Cursor(query, rows, batchSize) { LastUsed = now };
            return id;
        }
    }

    public Cursor? Get(string id)
    {
        lock (_cursors)
        {
            if (!_cursors.TryGetValue(id, out var cursor))
            {
                return null;
            }

            cursor.LastUsed = time.GetUtcNow();
            return cursor;
        }
    }

    public void Close(string id)
    {
        lock (_cursors)
        {
            _cursors.Remove(id);
        }
    }

    internal sealed class Cursor(CompiledQuery query, List<SObjectRecord> rows, int batchSize)
    {
        public CompiledQuery Query { get; } = query;

        public List<SObjectRecord> Rows { get; } = rows;

        public int BatchSize { get; } = batchSize;

        public DateTimeOffset LastUsed { get; set; }
    }
}
