using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;
using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

public class BudgetTests
{
    private const string LimitsBody = """{"DailyApiRequests":{"Max":15000,"Remaining":14000},"DailyBulkV2QueryJobs":{"Max":10000,"Remaining":9999}}""";

    [Fact]
    public async Task REQUEST_LIMIT_EXCEEDED_stops_after_one_call_and_pauses_further_calls()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/query").UsingGet())
            .RespondWith(Json("""[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]""", 403, usage: "api-usage=15001/15000"));
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(LimitsBody));

        var first = await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => sf.Client.QueryAsync("SELECT Id FROM Lead", cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken).AsTask());
        var second = await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(BudgetExhaustedReason.OrgLimitExceeded, first.Reason);
        Assert.Equal("REQUEST_LIMIT_EXCEEDED", Assert.IsType<SalesforceApiException>(first.InnerException).ErrorCode);
        Assert.NotNull(first.RetryAfter);
        Assert.Equal(BudgetExhaustedReason.OrgLimitExceeded, second.Reason);
        Assert.Single(sf.ApiRequests);
        Assert.Equal(1, sf.Client.Calls.ApiCalls);
    }

    [Fact]
    public async Task Stops_before_calling_once_the_org_used_the_configured_share()
    {
        using var sf = Create(o => o.Budget.StopAtUsedPercent = 80);
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json("""{"DailyApiRequests":{"Max":15000,"Remaining":3000}}""", usage: "api-usage=12000/15000"));

        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);
        var refusal = await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken));

        Assert.Equal(BudgetExhaustedReason.DailyThreshold, refusal.Reason);
        Assert.Equal(12000, refusal.Usage!.Used);
        Assert.Single(sf.ApiRequests);
    }

    [Fact]
    public async Task Past_the_threshold_one_call_reads_the_usage_again_once_the_recheck_interval_passed()
    {
        // The org's allowance is a rolling 24 hours: without a call now and then the client would never see it go down.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        using var sf = Create(o =>
        {
            o.Budget.StopAtUsedPercent = 80;
            o.Budget.UsageRecheckInterval = TimeSpan.FromMinutes(5);
        });
        var ct = TestContext.Current.CancellationToken;
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).AtPriority(2).RespondWith(Json("""{"DailyApiRequests":{"Max":15000,"Remaining":1000}}""", usage: "api-usage=14000/15000"));
        using var connection = SalesforceClientFactory.Create(sf.Options, timeProvider: clock);

        await connection.Client.GetLimitsAsync(ct);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(BudgetExhaustedReason.DailyThreshold, (await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => connection.Client.GetLimitsAsync(ct))).Reason);
        Assert.Single(sf.ApiRequests);

        // Still spent when read again: one call, then refused until the next interval.
        clock.Advance(TimeSpan.FromMinutes(1));
        await connection.Client.GetLimitsAsync(ct);
        await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => connection.Client.GetLimitsAsync(ct));
        Assert.Equal(2, sf.ApiRequests.Count);

        // Usage went down meanwhile: the next recheck sees it and calls flow again.
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).AtPriority(1).RespondWith(Json("""{"DailyApiRequests":{"Max":15000,"Remaining":13000}}""", usage: "api-usage=2000/15000"));
        clock.Advance(TimeSpan.FromMinutes(5));
        await connection.Client.GetLimitsAsync(ct);
        await connection.Client.GetLimitsAsync(ct);
        Assert.Equal(4, sf.ApiRequests.Count);
        Assert.Equal(2000, connection.Quota.LastApiUsage!.Used);
    }

    [Fact]
    public async Task A_run_stops_at_its_share_of_the_daily_limit_and_counts_its_calls()
    {
        using var sf = Create(o => o.Budget.MaxRunPercentOfDailyLimit = 0.02);
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(LimitsBody, usage: "api-usage=100/15000"));

        int completed = 0;
        SalesforceBudgetExhaustedException? refusal = null;
        using (var run = sf.Client.Quota.BeginRun("writeback"))
        {
            try
            {
                for (var i = 0; i < 10; i++)
                {
                    await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);
                    completed++;
                }
            }
            catch (SalesforceBudgetExhaustedException ex)
            {
                refusal = ex;
            }

            Assert.Equal(3, run.Calls[SalesforceOperations.Limits]);
            Assert.Equal(0, run.Remaining);
        }

        Assert.Equal(3, completed);
        Assert.Equal(BudgetExhaustedReason.RunBudget, refusal!.Reason);
        Assert.Equal(3, sf.ApiRequests.Count);

        // Outside the run, the per-run share no longer applies.
        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, sf.ApiRequests.Count);
    }

    [Fact]
    public async Task Explicit_run_cap_applies_before_the_org_limit_is_known()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(LimitsBody, usage: ""));

        using var run = sf.Client.Quota.BeginRun("sync", maxCalls: 1);
        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(sf.Client.Quota.Check());
        await Assert.ThrowsAsync<SalesforceBudgetExhaustedException>(() => sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken));
        Assert.Single(sf.ApiRequests);
    }

    [Fact]
    public async Task Limits_are_parsed_and_feed_the_usage()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(LimitsBody, usage: ""));

        var limits = await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(new OrgLimit(15000, 14000), limits.DailyApiRequests);
        Assert.Equal(1, limits.Limits["DailyBulkV2QueryJobs"].Used);
        Assert.Equal(1000, sf.Client.LastApiUsage!.Used);
        Assert.Equal(15000, sf.Client.LastApiUsage.Limit);
    }

    [Fact]
    public async Task Calls_are_published_on_the_meter()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/limits").UsingGet()).RespondWith(Json(LimitsBody));
        var factory = (IMeterFactory)sf.Connection.Services.GetService(typeof(IMeterFactory))!;
        Assert.NotNull(factory);
        var seen = new List<(string Operation, object? Status)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                // Other tests publish on meters of the same name at the same time: listen to this client's factory only.
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == SalesforceMetrics.MeterName && instrument.Name == "sfcompanion.salesforce.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            lock (seen)
            {
                seen.Add(((string)values["operation"]!, values["http.response.status_code"]));
            }
        });
        listener.Start();

        await sf.Client.GetLimitsAsync(TestContext.Current.CancellationToken);

        List<(string Operation, object? Status)> measured;
        lock (seen)
        {
            measured = [.. seen];
        }

        Assert.Contains((SalesforceOperations.Limits, (object?)200), measured);
        Assert.Contains(measured, m => m.Operation == SalesforceOperations.AuthToken);
    }

    [Fact]
    public void Limit_info_header_is_parsed()
    {
        var at = DateTimeOffset.UnixEpoch;
        Assert.True(ApiUsage.TryParseHeader("api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)", at, out var usage));
        Assert.Equal(new ApiUsage(18, 5000, at), usage);
        Assert.Equal(0.36, usage!.UsedPercent, 3);
        Assert.False(ApiUsage.TryParseHeader("per-app-api-usage=17/250(appName=x)", at, out _));
    }
}
