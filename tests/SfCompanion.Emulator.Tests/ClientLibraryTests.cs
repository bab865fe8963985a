using SfCompanion.Salesforce;
using ClientRecord = SfCompanion.Salesforce.SObjectRecord;

namespace SfCompanion.Emulator.Tests;

/// <summary>The SfCompanion.Salesforce client against the emulator: each is the other's first test.</summary>
public class ClientLibraryTests : OrgTestBase
{
    private SalesforceConnection _sf = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _sf = SalesforceClientFactory.Create(new SalesforceOptions
        {
            LoginUrl = Org.BaseUrl,
            AuthFlow = SalesforceAuthFlow.ClientCredentials,
            ClientId = Org.ClientId,
            ClientSecret = Org.ClientSecret,
            ApiVersion = "62.0",
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(10),
            BulkPollInitialDelay = TimeSpan.FromMilliseconds(20),
            BulkPollMaxDelay = TimeSpan.FromMilliseconds(50),
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await _sf.DisposeAsync();
        await base.DisposeAsync();
    }

    private ISalesforceClient Client => _sf.Client;

    private List<string> InsertLeads(int count) => [.. Enumerable.Range(0, count).Select(i => InsertLead($"L{i:000}"))];

    [Fact]
    public async Task QueryAsync_FollowsNextRecordsUrlAcrossPages()
    {
        InsertLeads(450);
        var used = Org.Limits.ApiCallsUsed;

        var names = new List<string?>();
        await foreach (var record in Client.QueryAsync("SELECT Id, LastName FROM Lead ORDER BY LastName", new QueryOptions { BatchSize = 200 }, Ct))
        {
            names.Add(record.GetString("LastName"));
        }

        Assert.Equal(Enumerable.Range(0, 450).Select(i => $"L{i:000}"), names);
        Assert.Equal(3, Org.Limits.ApiCallsUsed - used);
    }

    [Fact]
    public async Task CountAsync_ReturnsTotalSize()
    {
        InsertLeads(7);
        Assert.Equal(7, await Client.CountAsync("SELECT COUNT() FROM Lead", cancellationToken: Ct));
    }

    [Fact]
    public async Task UpdateAsync_WritesThroughCollectionsInChunks()
    {
        var ids = InsertLeads(250);
        var used = Org.Limits.ApiCallsUsed;
        var records = ids.Select(id => new ClientRecord("Lead") { Id = id, ["Sfc_Score__c"] = 55m, ["Sfc_Score_Band__c"] = "B" }).ToList();

        var results = await Client.UpdateAsync(records, cancellationToken: Ct);

        Assert.All(results, r => Assert.True(r.Success));
        Assert.Equal(2, Org.Limits.ApiCallsUsed - used);
        Assert.Equal(250, Org.Data.Query("SELECT COUNT() FROM Lead WHERE Sfc_Score_Band__c = 'B' AND Sfc_Score__c = 55")[0]["COUNT()"]);
    }

    [Fact]
    public async Task UpdateAsync_LockedRowIsRetriedUntilItSucceeds()
    {
        var ids = InsertLeads(3);
        Org.Faults.LockRecord(ids[1], times: 1);

        var results = await Client.UpdateAsync([.. ids.Select(id => new ClientRecord("Lead") { Id = id, ["Title"] = "DAF" })], cancellationToken: Ct);

        Assert.All(results, r => Assert.True(r.Success));
        Assert.Equal("DAF", Org.Data.Get(ids[1])!["Title"]);
    }

    [Fact]
    public async Task UpdateAsync_RefusedRecordCarriesSalesforceError()
    {
        var id = InsertLead("A");
        var results = await Client.UpdateAsync([new ClientRecord("Lead") { Id = id, ["NumberOfEmployees"] = "lots" }], cancellationToken: Ct);
        Assert.Equal("INVALID_TYPE_ON_FIELD_IN_RECORD", Assert.Single(results).ErrorCode);
    }

    [Fact]
    public async Task BulkIngestAndQuery_RoundTrip()
    {
        var records = Enumerable.Range(0, 500).Select(i => new ClientRecord("Lead") { ["LastName"] = $"B{i:000}", ["Company"] = "Bulk \"Quoted\", SA" }).ToList();

        var ingest = await Client.BulkIngestAsync("Lead", BulkOperation.Insert, records, cancellationToken: Ct);
        var rows = new List<ClientRecord>();
        await foreach (var row in Client.BulkQueryAsync("SELECT Id, LastName, Company FROM Lead ORDER BY LastName", new BulkQueryOptions { MaxRecordsPerPage = 200 }, Ct))
        {
            rows.Add(row);
        }

        Assert.Equal(500, ingest.Successful.Count);
        Assert.Empty(ingest.Failed);
        Assert.Equal(500, rows.Count);
        Assert.Equal("Bulk \"Quoted\", SA", rows[0].GetString("Company"));
        Assert.Equal("B499", rows[^1].GetString("LastName"));
    }

    [Fact]
    public async Task GetLimitsAsync_MatchesTheOrgCounter()
    {
        var limits = await Client.GetLimitsAsync(Ct);
        Assert.Equal(Org.Limits.DailyApiRequestLimit, limits.DailyApiRequests!.Max);
        Assert.Equal(Org.Limits.Remaining, limits.DailyApiRequests.Remaining);
    }

    [Fact]
    public async Task ExpiredToken_IsRenewedOnceAndTheCallSucceeds()
    {
        InsertLeads(2);
        Assert.Equal(2, await Client.CountAsync("SELECT COUNT() FROM Lead", cancellationToken: Ct));

        Org.Faults.ExpireTokensNow();

        Assert.Equal(2, await Client.CountAsync("SELECT COUNT() FROM Lead", cancellationToken: Ct));
    }

    [Fact]
    public async Task ServiceUnavailable_IsRetriedForQueries()
    {
        InsertLeads(2);
        Org.Faults.FailNextRequests(1);

        Assert.Equal(2, await Client.CountAsync("SELECT COUNT() FROM Lead", cancellationToken: Ct));
        Assert.Equal(1, Org.Faults.InjectedCount);
    }

    [Fact]
    public async Task MalformedQuery_BecomesTypedException()
    {
        var error = await Assert.ThrowsAsync<Salesforce.SalesforceApiException>(async () =>
        {
            await foreach (var _ in Client.QueryAsync("SELECT Id FROM Lead GROUP BY Id", cancellationToken: Ct))
            {
            }
        });
        Assert.Equal("MALFORMED_QUERY", error.ErrorCode);
    }

    [Fact]
    public async Task GetUpdatedAsync_ListsChangedIds()
    {
        // getUpdated covers whole minutes up to the last complete one, so the change is placed a few minutes back.
        var now = DateTimeOffset.UtcNow;
        var id = InsertLead("Recent", extra: new() { ["SystemModstamp"] = now.AddMinutes(-3) });
        var updated = await Client.GetUpdatedAsync("Lead", now.AddMinutes(-10), now, Ct);
        Assert.Contains(id, updated.Ids);
    }
}
