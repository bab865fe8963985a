using Microsoft.Data.Sqlite;

namespace SfCompanion.Storage;

/// <summary>Versioned schema migrations, applied in order at start inside one transaction each.</summary>
internal static class SqliteMigrations
{
    // Append only: a released migration never changes, a new version is added instead.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE documents (
            kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL,
            PRIMARY KEY (kind, key)) WITHOUT ROWID;
        CREATE TABLE document_index (
            kind TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL,
            PRIMARY KEY (kind, name, value, key)) WITHOUT ROWID;
        CREATE INDEX document_index_by_key ON document_index (kind, key);
        CREATE TABLE logs (
            log TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, payload TEXT NOT NULL,
            PRIMARY KEY (log, seq)) WITHOUT ROWID;
        CREATE INDEX logs_by_time ON logs (log, ts);
        CREATE TABLE log_heads (log TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE log_cursors (log TEXT NOT NULL, consumer TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (log, consumer)) WITHOUT ROWID;
        CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        """,
        // Each document keeps its own look-up terms, so replacing or deleting it removes them by the index's primary
        // key: the second index on (kind, key) cost a b-tree insert per term (half the price of a large first load).
        """
        ALTER TABLE documents ADD COLUMN terms TEXT;
        UPDATE documents SET terms = (
            SELECT json_group_array(json_array(i.name, i.value)) FROM document_index i WHERE i.kind = documents.kind AND i.key = documents.key)
        WHERE EXISTS (SELECT 1 FROM document_index i WHERE i.kind = documents.kind AND i.key = documents.key);
        DROP INDEX document_index_by_key;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static void Apply(SqliteConnection connection)
    {
        SqliteStore.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
        var current = (int)SqliteStore.Scalar<long>(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        if (current > Migrations.Length)
        {
            throw new StoreConfigurationException(
                $"The SQLite database is at schema version {current}, newer than this SfCompanion release knows ({Migrations.Length}). Run a newer release or restore an older backup.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var tx = connection.BeginTransaction();
            SqliteStore.Execute(connection, Migrations[version - 1], tx);
            SqliteStore.Execute(connection, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);", tx,
                ("$v", version), ("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            tx.Commit();
        }
    }
}
