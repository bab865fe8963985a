using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>
/// The statements a document write runs, prepared once per write transaction and reused for every document of the
/// batch (only their parameter values change).
/// </summary>
internal sealed class PutStatements : IDisposable
{
    private readonly SqliteTransaction _tx;
    private readonly long _now;
    private SqliteCommand? _version;
    private SqliteCommand? _insert;
    private SqliteCommand? _update;
    private SqliteCommand? _terms;
    private SqliteCommand? _deleteIndex;
    private SqliteCommand? _insertIndex;

    public PutStatements(SqliteTransaction tx, string kind, long now)
    {
        _tx = tx;
        Kind = kind;
        _now = now;
    }

    public string Kind { get; }

    /// <summary>The stored version of a document, 0 when it does not exist.</summary>
    public long Version(string key)
    {
        _version ??= Prepare("SELECT version FROM documents WHERE kind = $kind AND key = $key;", "$key");
        _version.Parameters[1].Value = key;
        return _version.ExecuteScalar() is long v ? v : 0;
    }

    /// <summary>
    /// Inserts or replaces the document with its look-up terms (<see cref="DocumentTerms"/>) and returns its new version
    /// (1 when it is new) and, for a replaced document, the terms it had. A new document costs one plain insert; only
    /// an existing one is then read and updated.
    /// </summary>
    public long Upsert(string key, string data, string? terms, out string? previousTerms)
    {
        previousTerms = null;
        if (_insert is null)
        {
            _insert = Prepare("INSERT OR IGNORE INTO documents (kind, key, data, version, updated_at, terms) VALUES ($kind, $key, $data, 1, $now, $terms);", "$key", "$data", "$now", "$terms");
            _insert.Parameters[3].Value = _now;
        }

        _insert.Parameters[1].Value = key;
        _insert.Parameters[2].Value = data;
        _insert.Parameters[4].Value = (object?)terms ?? DBNull.Value;
        if (_insert.ExecuteNonQuery() == 1)
        {
            return 1;
        }

        _terms ??= Prepare("SELECT terms FROM documents WHERE kind = $kind AND key = $key;", "$key");
        _terms.Parameters[1].Value = key;
        previousTerms = _terms.ExecuteScalar() as string;
        if (_update is null)
        {
            _update = Prepare("UPDATE documents SET data = $data, version = version + 1, updated_at = $now, terms = $terms WHERE kind = $kind AND key = $key RETURNING version;", "$key", "$data", "$now", "$terms");
            _update.Parameters[3].Value = _now;
        }

        _update.Parameters[1].Value = key;
        _update.Parameters[2].Value = data;
        _update.Parameters[4].Value = (object?)terms ?? DBNull.Value;
        return (long)_update.ExecuteScalar()!;
    }

    /// <summary>Removes a document's look-up terms, as <see cref="DocumentTerms"/> stored them with it.</summary>
    public void DeleteIndex(string key, string? terms)
    {
        foreach (var (name, value) in DocumentTerms.Parse(terms))
        {
            _deleteIndex ??= Prepare("DELETE FROM document_index WHERE kind = $kind AND name = $name AND value = $value AND key = $key;", "$name", "$value", "$key");
            _deleteIndex.Parameters[1].Value = name;
            _deleteIndex.Parameters[2].Value = value;
            _deleteIndex.Parameters[3].Value = key;
            _deleteIndex.ExecuteNonQuery();
        }
    }

    public void InsertIndexTerm(string key, string name, string value)
    {
        _insertIndex ??= Prepare("INSERT OR IGNORE INTO document_index (kind, name, value, key) VALUES ($kind, $name, $value, $key);", "$name", "$value", "$key");
        _insertIndex.Parameters[1].Value = name;
        _insertIndex.Parameters[2].Value = value;
        _insertIndex.Parameters[3].Value = key;
        _insertIndex.ExecuteNonQuery();
    }

    /// <summary>A prepared command on the transaction with <c>$kind</c> bound first, then the named parameters in order.</summary>
    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _tx.Connection!.CreateCommand();
        command.Transaction = _tx;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$kind", Kind);
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _version?.Dispose();
        _insert?.Dispose();
        _update?.Dispose();
        _terms?.Dispose();
        _deleteIndex?.Dispose();
        _insertIndex?.Dispose();
    }
}
