using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Tests;

public class SalesforceIdTests
{
    [Fact]
    public void Normalize_FifteenCharId_AddsSalesforceChecksum() =>
        Assert.Equal("001A0000006Vm9rIAC", SalesforceId.Normalize("001A0000006Vm9r"));

    [Fact]
    public void Normalize_EighteenCharIdWithChangedCase_RestoresOriginal() =>
        Assert.Equal("001A0000006Vm9rIAC", SalesforceId.Normalize("001a0000006vm9riac"));

    [Theory]
    [InlineData("not-an-id")]
    [InlineData("001A0000006Vm9")]
    [InlineData("001A0000006Vm9!IAC")]
    public void Normalize_NotAnId_ReturnsNull(string value) => Assert.Null(SalesforceId.Normalize(value));

    [Fact]
    public void Create_UsesKeyPrefixAndValidChecksum()
    {
        var id = SalesforceId.Create("00Q", 123_456);
        Assert.Equal(18, id.Length);
        Assert.StartsWith("00Q", id, StringComparison.Ordinal);
        Assert.Equal(id, SalesforceId.Normalize(id[..15]));
    }

    [Fact]
    public void Create_IdsSortInCreationOrder()
    {
        var ids = Enumerable.Range(0, 200).Select(i => SalesforceId.Create("003", 1_000_000 + (i * 61L))).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }
}
