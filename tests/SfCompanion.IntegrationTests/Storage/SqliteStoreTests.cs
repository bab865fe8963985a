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
        Assert.Equal(1L, command.ExecuteScalar());
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
}
