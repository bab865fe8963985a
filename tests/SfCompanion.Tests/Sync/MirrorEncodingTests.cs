using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;
using SfCompanion.Sync;

namespace SfCompanion.Tests.Sync;

/// <summary>The mirror's compact record encoding, and documents written before it (JSON objects) read as they are.</summary>
public sealed class MirrorEncodingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-mirror-encoding-").FullName;
    private readonly SqliteStore _store;
    private readonly Mirror _mirror;

    public MirrorEncodingTests()
    {
        _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        _mirror = new Mirror(_store, new SyncObjectCatalog(Options.Create(new SyncOptions())));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MirrorRecord Lead(string id, string email, string? city) => new("Lead", id, new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Id"] = id,
        ["FirstName"] = "Amélie",
        ["Email"] = email,
        ["City"] = city,
        ["HasOptedOutOfEmail"] = "false",
    });

    [Fact]
    public async Task Records_are_stored_without_their_field_names_and_read_back_whole()
    {
        await _mirror.PutAsync("Lead", [Lead("00Q000000000001AAA", "Anne@Acme.fr", "Lyon"), Lead("00Q000000000002AAA", "bob@acme.fr", null)], cancellationToken: Ct);

        var stored = (await _store.GetAsync(Mirror.Kind("Lead"), "00Q000000000001AAA", Ct))!.Data;
        Assert.StartsWith("[\"Lead:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("FirstName", stored, StringComparison.Ordinal);
        Assert.Contains("Amélie", stored, StringComparison.Ordinal);
        Assert.Equal(1, await _store.CountAsync(MirrorEncoding.LayoutKind, Ct));

        var read = (await _mirror.GetAsync("Lead", "00Q000000000002AAA", Ct))!;
        Assert.Equal("Amélie", read["firstname"]);
        Assert.Null(read["City"]);
        Assert.True(read.Fields.ContainsKey("City"));
        Assert.Equal(5, read.Fields.Count);
        Assert.Equal("00Q000000000001AAA", Assert.Single(await _mirror.FindAsync("Lead", "Email", "anne@acme.fr", cancellationToken: Ct)).Id);
    }

    [Fact]
    public async Task A_layout_written_by_another_process_is_read_from_the_store()
    {
        await _mirror.PutAsync("Lead", [Lead("00Q000000000001AAA", "anne@acme.fr", "Lyon")], cancellationToken: Ct);
        var other = new Mirror(_store, new SyncObjectCatalog(Options.Create(new SyncOptions())));

        Assert.Equal("Lyon", (await other.GetAsync("Lead", "00Q000000000001AAA", Ct))!["City"]);
    }

    [Fact]
    public async Task Documents_written_before_the_compact_encoding_are_read_and_take_it_when_written_again()
    {
        await _store.PutAsync(Mirror.Kind("Lead"), new DocumentWrite("00Q000000000009AAA",
            """{"Id":"00Q000000000009AAA","FirstName":"Am\u00e9lie","Email":"old@acme.fr","City":null}""",
            Index: [new IndexTerm("Email", "old@acme.fr")]), Ct);

        var legacy = (await _mirror.GetAsync("Lead", "00Q000000000009AAA", Ct))!;
        Assert.Equal("Amélie", legacy["FirstName"]);
        Assert.Null(legacy["City"]);
        Assert.Single(await _mirror.FindAsync("Lead", "Email", "old@acme.fr", cancellationToken: Ct));

        await _mirror.PutAsync("Lead", [new MirrorRecord("Lead", "00Q000000000009AAA", new Dictionary<string, string?> { ["City"] = "Nantes" })], merge: true, cancellationToken: Ct);

        Assert.StartsWith("[", (await _store.GetAsync(Mirror.Kind("Lead"), "00Q000000000009AAA", Ct))!.Data, StringComparison.Ordinal);
        var rewritten = (await _mirror.GetAsync("Lead", "00Q000000000009AAA", Ct))!;
        Assert.Equal("Nantes", rewritten["City"]);
        Assert.Equal("old@acme.fr", rewritten["Email"]);
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
