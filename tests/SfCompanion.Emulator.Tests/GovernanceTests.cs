using Microsoft.Extensions.Time.Testing;

namespace SfCompanion.Emulator.Tests;

public class GovernanceTests : OrgTestBase
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 10, 12, 0, 30, TimeSpan.Zero));

    protected override EmulatorOptions CreateOptions() => new() { TimeProvider = _time, DailyApiRequestLimit = 3 };

    [Fact]
    public async Task DailyLimit_ExhaustedCallsGetRequestLimitExceeded()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await GetAsync($"{Api}/limits")).Status);
        }

        var (status, body) = await GetAsync($"{Api}/limits");

        Assert.Equal(403, status);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", ErrorCode(body));
        Assert.Equal(3, Org.Limits.ApiCallsUsed);

        Org.Limits.Reset();
        Assert.Equal(200, (await GetAsync($"{Api}/limits")).Status);
    }

    [Fact]
    public async Task ScriptedFailures_Answer503ThenRecover()
    {
        Org.Faults.FailNextRequests(2);
        var first = await GetAsync($"{Api}/limits");
        var second = await GetAsync($"{Api}/limits");
        var third = await GetAsync($"{Api}/limits");

        Assert.Equal([503, 503, 200], new[] { first.Status, second.Status, third.Status });
        Assert.Equal("SERVER_UNAVAILABLE", ErrorCode(first.Body));
        Assert.Equal(2, Org.Faults.InjectedCount);
        Assert.Equal(1, Org.Limits.ApiCallsUsed);
    }

    [Fact]
    public async Task FailureRate_OfOne_FailsEveryCall()
    {
        Org.Faults.ServiceUnavailableRate = 1;
        Assert.Equal(503, (await GetAsync($"{Api}/limits")).Status);
        Org.Faults.Clear();
        Assert.Equal(200, (await GetAsync($"{Api}/limits")).Status);
    }

    [Fact]
    public async Task LockedRecord_SingleUpdateGetsUnableToLockRow()
    {
        var id = InsertLead("A");
        Org.Faults.LockRecord(id);

        var (status, body) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Title = "X" });

        Assert.Equal(400, status);
        Assert.Equal("UNABLE_TO_LOCK_ROW", ErrorCode(body));
        Org.Faults.UnlockRecord(id);
        Assert.Equal(204, (await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Title = "X" })).Status);
    }

    [Fact]
    public async Task ExpireTokensNow_InvalidatesIssuedTokens()
    {
        Org.Faults.ExpireTokensNow();
        var (status, body) = await GetAsync($"{Api}/limits");
        Assert.Equal(401, status);
        Assert.Equal("INVALID_SESSION_ID", ErrorCode(body));
    }

    [Fact]
    public async Task SlowRequests_AreStillServedAndCounted()
    {
        Org.Faults.SlowNextRequests(1, TimeSpan.FromMilliseconds(50));
        var (status, _) = await GetAsync($"{Api}/limits");
        Assert.Equal(200, status);
        Assert.Equal(1, Org.Limits.ApiCallsUsed);
    }

    [Fact]
    public async Task GetUpdatedAndGetDeleted_ReportChangesInWindow()
    {
        var start = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(1));
        var changed = InsertLead("Changed");
        var removed = InsertLead("Removed");
        Org.Data.Delete(removed);
        _time.Advance(TimeSpan.FromMinutes(5));
        var window = $"start={Uri.EscapeDataString(start.ToString("O"))}&end={Uri.EscapeDataString(_time.GetUtcNow().ToString("O"))}";

        var (_, updated) = await GetAsync($"{Api}/sobjects/Lead/updated/?{window}");
        var (_, deleted) = await GetAsync($"{Api}/sobjects/Lead/deleted/?{window}");

        Assert.Equal([changed], updated.GetProperty("ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(removed, deleted.GetProperty("deletedRecords")[0].GetProperty("id").GetString());
        Assert.Equal("2026-06-10T12:06:00.000+0000", updated.GetProperty("latestDateCovered").GetString());
    }

    [Fact]
    public async Task GetUpdated_StartOlderThan30Days_IsInvalidReplicationDate()
    {
        var start = _time.GetUtcNow().AddDays(-31).ToString("O");
        var (status, body) = await GetAsync($"{Api}/sobjects/Lead/updated/?start={Uri.EscapeDataString(start)}&end={Uri.EscapeDataString(_time.GetUtcNow().ToString("O"))}");
        Assert.Equal(400, status);
        Assert.Equal("INVALID_REPLICATION_DATE", ErrorCode(body));
    }
}
