using System.Text;
using StackExchange.Redis;

namespace SfCompanion.Storage;

/// <summary>
/// The key layout of one deployment; every key starts with <see cref="Prefix"/>. The document scripts of
/// <see cref="RedisStore"/> are given the prefix and build the <c>doc:</c>, <c>kind:</c> and <c>idx:</c> keys the same way.
/// </summary>
internal sealed class RedisKeys(string keyPrefix)
{
    /// <summary>Separates the encoded terms stored with a document (byte 30 in the Lua patterns).</summary>
    private const char TermSeparator = '\u001e';

    /// <summary>Separates a term's name from its value.</summary>
    private const char NameValueSeparator = '\u001f';

    public string Prefix { get; } = keyPrefix + ":";

    /// <summary>Hash of one document: d (data), v (version), t (updated, ms), i (its encoded index terms).</summary>
    public RedisKey Document(string kind, string key) => Prefix + "doc:" + kind + ":" + key;

    /// <summary>Sorted set (all scores 0) of the keys of a kind, for listing in byte order.</summary>
    public RedisKey Kind(string kind) => Prefix + "kind:" + kind;

    /// <summary>Sorted set of the keys of a kind carrying <paramref name="term"/>.</summary>
    public RedisKey Index(string kind, IndexTerm term) => Prefix + "idx:" + kind + ":" + Encode(term);

    /// <summary>Stream of a log's entries, with ids "{sequence}-1".</summary>
    public RedisKey Log(string log) => Prefix + "log:" + log;

    /// <summary>A log's last sequence; it survives trimming.</summary>
    public RedisKey LogHead(string log) => Prefix + "loghead:" + log;

    /// <summary>Hash of a log's consumer cursors.</summary>
    public RedisKey LogCursors(string log) => Prefix + "logcursor:" + log;

    public RedisKey Lease(string name) => Prefix + "lease:" + name;

    public RedisKey Counter(string name) => Prefix + "ctr:" + name;

    /// <summary>The terms stored with a document, each ending with the term separator; empty for none.</summary>
    public static string EncodeTerms(IReadOnlyList<IndexTerm>? terms)
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

            builder.Append(Encode(term)).Append(TermSeparator);
        }

        return builder.ToString();
    }

    private static string Encode(IndexTerm term) => term.Name + NameValueSeparator + term.Value;
}
