using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class IncrementalAndVersionTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2024, 1, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetUpdated_sends_the_window_and_parses_ids()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Lead/updated/").UsingGet()).RespondWith(Json(
            """{"ids":["00Q000000000001AAA","00Q000000000002AAA"],"latestDateCovered":"2024-01-01T23:45:00.000+0000"}"""));

        var updated = await sf.Client.GetUpdatedAsync("Lead", Start, End, TestContext.Current.CancellationToken);

        Assert.Equal(["00Q000000000001AAA", "00Q000000000002AAA"], updated.Ids);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 23, 45, 0, TimeSpan.Zero), updated.LatestDateCovered);
        var query = sf.ApiRequests.Single().RequestMessage.Query!;
        Assert.Equal("2024-01-01T00:00:00+00:00", query["start"].Single());
        Assert.Equal("2024-01-02T00:00:00+00:00", query["end"].Single());
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.Updated]);
    }

    [Fact]
    public async Task GetDeleted_parses_records_and_window()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Contact/deleted/").UsingGet()).RespondWith(Json(
            """{"deletedRecords":[{"id":"003000000000001AAA","deletedDate":"2024-01-01T10:00:00.000+0000"}],"earliestDateAvailable":"2023-12-05T00:00:00.000+0000","latestDateCovered":"2024-01-01T23:00:00.000+0000"}"""));

        var deleted = await sf.Client.GetDeletedAsync("Contact", Start, End, TestContext.Current.CancellationToken);

        var record = Assert.Single(deleted.Records);
        Assert.Equal("003000000000001AAA", record.Id);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), record.DeletedDate);
        Assert.Equal(new DateTimeOffset(2023, 12, 5, 0, 0, 0, TimeSpan.Zero), deleted.EarliestDateAvailable);
    }

    [Theory]
    [InlineData("INVALID_REPLICATION_DATE", true, false)]
    [InlineData("EXCEEDED_ID_LIMIT", false, true)]
    public async Task Replication_window_errors_are_typed(string code, bool startTooOld, bool windowTooLarge)
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Lead/updated/").UsingGet())
            .RespondWith(Json($$"""[{"errorCode":"{{code}}","message":"window problem"}]""", 400));

        var error = await Assert.ThrowsAsync<SalesforceReplicationWindowException>(() => sf.Client.GetUpdatedAsync("Lead", Start, End, TestContext.Current.CancellationToken));

        Assert.Equal(startTooOld, error.StartTooOld);
        Assert.Equal(windowTooLarge, error.WindowTooLarge);
        Assert.Single(sf.ApiRequests);
    }

    [Fact]
    public async Task Latest_api_version_is_discovered_once()
    {
        using var sf = Create(o => o.ApiVersion = "latest");
        sf.Server.Given(Request.Create().WithPath("/services/data/").UsingGet()).RespondWith(Json(
            """[{"label":"Winter '26","url":"/services/data/v65.0","version":"65.0"},{"label":"Spring '26","url":"/services/data/v66.0","version":"66.0"},{"label":"Summer '25","url":"/services/data/v64.0","version":"64.0"}]"""));
        sf.Server.Given(Request.Create().WithPath("/services/data/v66.0/limits").UsingGet()).RespondWith(Json("""{"DailyApiRequests":{"Max":100,"Remaining":90}}"""));

        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);
        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["/services/data/", "/services/data/v66.0/limits", "/services/data/v66.0/limits"], sf.ApiRequests.Select(r => r.RequestMessage.Path));
        Assert.Equal(1, sf.Client.Calls[SalesforceOperations.Versions]);
    }

    [Fact]
    public async Task Reads_are_retried_on_UNABLE_TO_LOCK_ROW_but_not_on_other_400s()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet()).InScenario("lock").WillSetStateTo("free")
            .RespondWith(Json("""[{"message":"unable to obtain exclusive access to this record","errorCode":"UNABLE_TO_LOCK_ROW"}]""", 400));
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet()).InScenario("lock").WhenStateIs("free")
            .RespondWith(Json("""{"totalSize":0,"done":true,"records":[]}"""));

        var records = await sf.Client.QueryAsync("SELECT Id FROM Lead", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Empty(records);
        Assert.Equal(2, sf.ApiRequests.Count);
    }
}
