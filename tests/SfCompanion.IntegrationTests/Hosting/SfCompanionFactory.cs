using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SfCompanion.IntegrationTests.Hosting;

/// <summary>The service in-process over a fresh SQLite file, with optional configuration overrides.</summary>
public sealed class SfCompanionFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-host-").FullName;
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);

    public string DataDirectory => _directory;

    public SfCompanionFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:Sqlite:Path", Path.Combine(_directory, "sfcompanion.db"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing background task; the OS temp folder is cleaned anyway.
        }
    }
}
