using System.Diagnostics;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;
using SfCompanion.Sync;

namespace SfCompanion.Tests.Sync;

/// <summary>
/// Values the writeback had accepted while a sync pass was reading: the pass's older copy of the record does not put
/// the previous values back, a read sent after the write is taken as it is, and nothing is remembered past the pass.
/// </summary>
public sealed class MirrorWrittenBackTests : IDisposable
{
    private const string Id = "00Q000000000001AAA";
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-mirror-written-back-").FullName;
    private readonly SqliteStore _store;
    private readonly Mirror _mirror;

    public MirrorWrittenBackTests()
    {
        _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") });
        _mirror = new Mirror(_store, new SyncObjectCatalog(Options.Create(new SyncOptions())));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MirrorRecord Lead(string optedOut, string city) => new("Lead", Id, new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Id"] = Id,
        ["HasOptedOutOfEmail"] = optedOut,
        ["City"] = city,
    });

    private static Dictionary<string, string?> OptedOut() => new(StringComparer.OrdinalIgnoreCase) { ["HasOptedOutOfEmail"] = "true" };

    [Fact]
    public async Task A_read_sent_before_the_write_keeps_the_written_values_and_takes_the_other_fields()
    {
        await _mirror.PutAsync("Lead", [Lead("false", "Lyon")], cancellationToken: Ct);
        using (await _mirror.BeginPassAsync(Ct))
        {
            var readAt = Stopwatch.GetTimestamp();
            await _mirror.PutWrittenBackAsync("Lead", Id, OptedOut(), created: false, Ct);
            Assert.Equal("true", (await _mirror.GetAsync("Lead", Id, Ct))!["HasOptedOutOfEmail"]);

            // The pass's copy was read before the write: the opt-out stays, the city the pass read is taken.
            await _mirror.PutReadAsync("Lead", [Lead("false", "Paris")], readAt, Ct);
            var stored = (await _mirror.GetAsync("Lead", Id, Ct))!;
            Assert.Equal("true", stored["HasOptedOutOfEmail"]);
            Assert.Equal("Paris", stored["City"]);
            Assert.Equal(1, _mirror.WrittenBackDuringPass);
        }

        Assert.Equal(0, _mirror.WrittenBackDuringPass);
    }

    [Fact]
    public async Task A_read_sent_after_the_write_is_taken_as_it_is()
    {
        await _mirror.PutAsync("Lead", [Lead("false", "Lyon")], cancellationToken: Ct);
        using (await _mirror.BeginPassAsync(Ct))
        {
            await _mirror.PutWrittenBackAsync("Lead", Id, OptedOut(), created: false, Ct);
            var readAt = Stopwatch.GetTimestamp();

            // Someone set it back in Salesforce after the write, and this read saw it.
            await _mirror.PutReadAsync("Lead", [Lead("false", "Lyon")], readAt, Ct);
            Assert.Equal("false", (await _mirror.GetAsync("Lead", Id, Ct))!["HasOptedOutOfEmail"]);
        }
    }

    [Fact]
    public async Task A_record_not_mirrored_yet_gets_the_written_values_when_the_pass_brings_it()
    {
        using (await _mirror.BeginPassAsync(Ct))
        {
            var readAt = Stopwatch.GetTimestamp();
            await _mirror.PutWrittenBackAsync("Lead", Id, OptedOut(), created: false, Ct);
            Assert.Null(await _mirror.GetAsync("Lead", Id, Ct));

            await _mirror.PutReadAsync("Lead", [Lead("false", "Lyon")], readAt, Ct);
            Assert.Equal("true", (await _mirror.GetAsync("Lead", Id, Ct))!["HasOptedOutOfEmail"]);
        }
    }

    [Fact]
    public async Task Writes_outside_a_pass_are_not_remembered()
    {
        await _mirror.PutAsync("Lead", [Lead("false", "Lyon")], cancellationToken: Ct);
        var readAt = Stopwatch.GetTimestamp();
        await _mirror.PutWrittenBackAsync("Lead", Id, OptedOut(), created: false, Ct);
        Assert.Equal(0, _mirror.WrittenBackDuringPass);

        // A pass that starts afterwards reads afterwards; here its copy is written as it is.
        using (await _mirror.BeginPassAsync(Ct))
        {
            await _mirror.PutReadAsync("Lead", [Lead("false", "Lyon")], readAt, Ct);
        }

        Assert.Equal("false", (await _mirror.GetAsync("Lead", Id, Ct))!["HasOptedOutOfEmail"]);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
