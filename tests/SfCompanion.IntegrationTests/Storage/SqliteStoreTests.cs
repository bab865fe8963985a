using Microsoft.Data.Sqlite;
using SfCompanion.Storage;

namespace SfCompanion.IntegrationTests.Storage;

public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "data", "store.db");

    protected override Task<IStore> OpenAsync() =>
        Task.FromResult<IStore>(SqliteStore.Open(new SqliteStorageOptions { Path = DatabasePath }, Time));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Open_creates_the_folder_and_uses_wal_with_the_latest_schema()
    {
        Assert.True(File.Exists(DatabasePath));
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        Assert.Equal(2L, command.ExecuteScalar());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_the_setting_named()
    {
        var path = Path.Combine(_directory, "garbage.db");
        File.WriteAllText(path, "this is not a SQLite database, just text that is long enough to have a header");
        var ex = Assert.Throws<StoreConfigurationException>(() => SqliteStore.Open(new SqliteStorageOptions { Path = path }));
        Assert.Contains("Storage:Sqlite:Path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a SQLite database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_folder_is_refused_with_the_setting_named()
    {
        var blocker = Path.Combine(_directory, "a-file");
        File.WriteAllText(blocker, "x");
        var ex = Assert.Throws<StoreConfigurationException>(() => SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(blocker, "sub", "db.sqlite") }));
        Assert.Contains("Storage:Sqlite:Path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("writable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_from_a_newer_release_is_refused()
    {
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');";
            command.ExecuteNonQuery();
        }

        var ex = Assert.Throws<StoreConfigurationException>(() => SqliteStore.Open(new SqliteStorageOptions { Path = DatabasePath }));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_of_the_first_schema_keeps_its_look_ups_and_drops_them_when_documents_change()
    {
        var path = Path.Combine(_directory, "v1", "store.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // The first schema's documents and look-ups, as a release before the terms column left them.
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
                INSERT INTO schema_version VALUES (1, 'earlier');
                CREATE TABLE documents (kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
                CREATE TABLE document_index (kind TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (kind, name, value, key)) WITHOUT ROWID;
                CREATE INDEX document_index_by_key ON document_index (kind, key);
                CREATE TABLE logs (log TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (log, seq)) WITHOUT ROWID;
                CREATE INDEX logs_by_time ON logs (log, ts);
                CREATE TABLE log_heads (log TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE log_cursors (log TEXT NOT NULL, consumer TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (log, consumer)) WITHOUT ROWID;
                CREATE TABLE leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO documents VALUES ('mirror:Lead', '00Q1', '{"Email":"anne@acme.fr"}', 3, 0), ('mirror:Lead', '00Q2', '{"Email":"bob@acme.fr"}', 1, 0);
                INSERT INTO document_index VALUES ('mirror:Lead', 'Email', 'anne@acme.fr', '00Q1'), ('mirror:Lead', 'OwnerId', '005A', '00Q1'), ('mirror:Lead', 'Email', 'bob@acme.fr', '00Q2');
                """;
            command.ExecuteNonQuery();
        }

        await using var store = SqliteStore.Open(new SqliteStorageOptions { Path = path }, Time);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("00Q1", Assert.Single(await store.FindAsync("mirror:Lead", new IndexTerm("Email", "anne@acme.fr"), cancellationToken: ct)).Key);

        // Replaced with another email and owner: the old terms go, the new ones come; deleted: its terms go.
        await store.PutAsync("mirror:Lead", new DocumentWrite("00Q1", """{"Email":"anne@beta.fr"}""", Index: [new IndexTerm("Email", "anne@beta.fr"), new IndexTerm("OwnerId", "005B")]), ct);
        Assert.Empty(await store.FindAsync("mirror:Lead", new IndexTerm("Email", "anne@acme.fr"), cancellationToken: ct));
        Assert.Empty(await store.FindAsync("mirror:Lead", new IndexTerm("OwnerId", "005A"), cancellationToken: ct));
        Assert.Equal(4, (await store.GetAsync("mirror:Lead", "00Q1", ct))!.Version);
        Assert.Equal("00Q1", Assert.Single(await store.FindAsync("mirror:Lead", new IndexTerm("OwnerId", "005B"), cancellationToken: ct)).Key);
        Assert.True(await store.DeleteAsync("mirror:Lead", "00Q2", cancellationToken: ct));
        Assert.Empty(await store.FindAsync("mirror:Lead", new IndexTerm("Email", "bob@acme.fr"), cancellationToken: ct));

        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM document_index; SELECT COUNT(*) FROM sqlite_master WHERE name = 'document_index_by_key';";
        using var reader = count.ExecuteReader();
        reader.Read();
        Assert.Equal(2L, reader.GetInt64(0));
        reader.NextResult();
        reader.Read();
        Assert.Equal(0L, reader.GetInt64(0));
    }
}
