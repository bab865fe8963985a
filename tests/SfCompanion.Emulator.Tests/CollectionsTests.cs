namespace SfCompanion.Emulator.Tests;

public class CollectionsTests : OrgTestBase
{
    private static Dictionary<string, object?> LeadRecord(string lastName, string? company = "Acme") =>
        new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["LastName"] = lastName, ["Company"] = company };

    [Fact]
    public async Task Create_ReturnsOneSaveResultPerRecordInOrder()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/composite/sobjects", new { allOrNone = false, records = new[] { LeadRecord("A"), LeadRecord("B", null) } });

        Assert.Equal(200, status);
        Assert.True(body[0].GetProperty("success").GetBoolean());
        Assert.False(body[1].GetProperty("success").GetBoolean());
        Assert.Equal("REQUIRED_FIELD_MISSING", body[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal(1, Org.Data.Count("Lead"));
    }

    [Fact]
    public async Task Create_AllOrNone_RollsBackEverything()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, $"{Api}/composite/sobjects", new { allOrNone = true, records = new[] { LeadRecord("A"), LeadRecord("B", null) } });

        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", body[0].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal("REQUIRED_FIELD_MISSING", body[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.Equal(0, Org.Data.Count("Lead"));
    }

    [Fact]
    public async Task Update_AppliesFieldsPerRecord()
    {
        var a = InsertLead("A");
        var b = InsertLead("B");
        var records = new object[]
        {
            new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["Id"] = a, ["Sfc_Score__c"] = 12 },
            new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["Id"] = b, ["Sfc_Score__c"] = 99, ["Sfc_Score_Band__c"] = "A" },
        };

        var (_, body) = await SendAsync(HttpMethod.Patch, $"{Api}/composite/sobjects", new { allOrNone = false, records });

        Assert.All(body.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        Assert.Equal(a, body[0].GetProperty("id").GetString());
        Assert.Equal(12m, Org.Data.Get(a)!["Sfc_Score__c"]);
        Assert.Equal("A", Org.Data.Get(b)!["Sfc_Score_Band__c"]);
    }

    [Fact]
    public async Task Update_LockedRecord_FailsWithUnableToLockRow()
    {
        var a = InsertLead("A");
        var b = InsertLead("B");
        Org.Faults.LockRecord(b, times: 1);
        var records = new[] { a, b }.Select(id => new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["Id"] = id, ["Title"] = "CTO" }).ToArray();

        var (_, first) = await SendAsync(HttpMethod.Patch, $"{Api}/composite/sobjects", new { records });
        var (_, retry) = await SendAsync(HttpMethod.Patch, $"{Api}/composite/sobjects", new { records });

        Assert.True(first[0].GetProperty("success").GetBoolean());
        Assert.Equal("UNABLE_TO_LOCK_ROW", first[1].GetProperty("errors")[0].GetProperty("statusCode").GetString());
        Assert.True(retry[1].GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Upsert_ByExternalId_ReportsCreated()
    {
        InsertLead("Existing", extra: new() { ["Sfc_Tracking_Token__c"] = "t1" });
        var records = new object[]
        {
            new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["Sfc_Tracking_Token__c"] = "t1", ["Title"] = "Directrice" },
            new Dictionary<string, object?> { ["attributes"] = new { type = "Lead" }, ["Sfc_Tracking_Token__c"] = "t2", ["LastName"] = "New", ["Company"] = "Co" },
        };

        var (_, body) = await SendAsync(HttpMethod.Patch, $"{Api}/composite/sobjects/Lead/Sfc_Tracking_Token__c", new { allOrNone = false, records });

        Assert.False(body[0].GetProperty("created").GetBoolean());
        Assert.True(body[1].GetProperty("created").GetBoolean());
        Assert.Equal(2, Org.Data.Count("Lead"));
    }

    [Fact]
    public async Task Delete_ByIds()
    {
        var a = InsertLead("A");
        var (_, body) = await SendAsync(HttpMethod.Delete, $"{Api}/composite/sobjects?ids={a},00QgK0000009999&allOrNone=false");

        Assert.True(body[0].GetProperty("success").GetBoolean());
        Assert.False(body[1].GetProperty("success").GetBoolean());
        Assert.Equal(0, Org.Data.Count("Lead"));
    }

    [Fact]
    public async Task MoreThan200Records_IsRefused()
    {
        var records = Enumerable.Range(0, 201).Select(i => LeadRecord($"L{i}")).ToArray();
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/composite/sobjects", new { records });
        Assert.Equal(400, status);
        Assert.Equal("EXCEEDED_ID_LIMIT", ErrorCode(body));
    }

    [Fact]
    public async Task Retrieve_ReturnsRecordsAndNullsForUnknownIds()
    {
        var a = InsertLead("A");
        var (_, body) = await GetAsync($"{Api}/composite/sobjects/Lead?ids={a},00QgK0000009999&fields=LastName");
        Assert.Equal("A", body[0].GetProperty("LastName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body[1].ValueKind);
    }
}
