using Microsoft.Data.Sqlite;

namespace SfCompanion.IntegrationTests.TestHost;

/// <summary>A fresh folder under the OS temp folder, deleted on dispose (after SQLite lets go of its files).</summary>
public sealed class TestDirectory : IDisposable
{
    public TestDirectory(string prefix = "sfc-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the OS temp folder is cleaned anyway.
        }
    }
}
