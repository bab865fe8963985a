using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.Storage;
using SfCompanion.Tracking;

namespace SfCompanion.Tests.Tracking;

public sealed class ClientAddressTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-ip-").FullName;
    private readonly SqliteStore _store;

    public ClientAddressTests() => _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "s.db") }, new FakeTimeProvider());

    private ClientAddress Make(string mode, params string[] ranges) =>
        new(Options.Create(new TrackingOptions { IpStorage = mode, ScannerIpRanges = [.. ranges] }), _store);

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.0/24")]
    [InlineData("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48")]
    public void Truncation_keeps_only_the_network(string address, string expected) =>
        Assert.Equal(expected, Make("Truncate").ForStorage(IPAddress.Parse(address)));

    [Fact]
    public void Hashing_is_stable_and_hides_the_address()
    {
        var addresses = Make("Hash");
        var hashed = addresses.ForStorage(IPAddress.Parse("203.0.113.77"));
        Assert.StartsWith("h:", hashed, StringComparison.Ordinal);
        Assert.DoesNotContain("203", hashed, StringComparison.Ordinal);
        Assert.Equal(hashed, Make("Hash").ForStorage(IPAddress.Parse("203.0.113.77")));
        Assert.NotEqual(hashed, addresses.ForStorage(IPAddress.Parse("203.0.113.78")));
    }

    [Fact]
    public void None_stores_nothing() => Assert.Null(Make("None").ForStorage(IPAddress.Parse("203.0.113.77")));

    [Fact]
    public void Scanner_ranges_match_the_full_address()
    {
        var addresses = Make("Truncate", "40.92.0.0/15", "2603:10a6::/32");
        Assert.Equal("40.92.0.0/15", addresses.ScannerRange(IPAddress.Parse("40.93.12.1")));
        Assert.Equal("2603:10a6::/32", addresses.ScannerRange(IPAddress.Parse("2603:10a6:1:2::5")));
        Assert.Null(addresses.ScannerRange(IPAddress.Parse("40.94.0.1")));
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
