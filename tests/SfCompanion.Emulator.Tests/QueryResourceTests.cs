using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

public class QueryResourceTests : OrgTestBase
{
    [Fact]
    public async Task Query_PagesWithNextRecordsUrlHonouringBatchSize()
    {
        for (var i = 0; i < 450; i++)
        {
            InsertLead($"L{i:000}");
        }

        Http.DefaultRequestHeaders.Add("Sforce-Query-Options", "batchSize=200");
        var page = await QueryAsync("SELECT Id, LastName FROM Lead ORDER BY LastName");
        var names = new List<string>();
        var pages = 0;
        while (true)
        {
            pages++;
            Assert.Equal(450, page.GetProperty("totalSize").GetInt32());
            names.AddRange(page.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("LastName").GetString()!));
            if (page.GetProperty("done").GetBoolean())
            {
                Assert.False(page.TryGetProperty("nextRecordsUrl", out _));
                break;
            }

            var next = page.GetProperty("nextRecordsUrl").GetString()!;
            Assert.StartsWith($"{Api}/query/01g", next, StringComparison.Ordinal);
            (_, page) = await GetAsync(next);
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 450).Select(i => $"L{i:000}"), names);
    }

    [Fact]
    public async Task Query_ParentFieldsAreNestedObjects()
    {
        var account = Org.Data.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Acme" });
        Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "A", ["AccountId"] = account });
        Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "B" });

        var records = (await QueryAsync("SELECT LastName, Account.Name, Owner.Username FROM Contact ORDER BY LastName")).GetProperty("records");

        Assert.Equal("Acme", records[0].GetProperty("Account").GetProperty("Name").GetString());
        Assert.Equal("Account", records[0].GetProperty("Account").GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, records[1].GetProperty("Account").ValueKind);
        Assert.Equal(Org.DemoUsername, records[1].GetProperty("Owner").GetProperty("Username").GetString());
    }

    [Fact]
    public async Task QueryAll_IncludesDeletedRecords()
    {
        var id = InsertLead("Gone");
        InsertLead("Here");
        Org.Data.Delete(id);

        var query = await QueryAsync("SELECT Id, IsDeleted FROM Lead");
        var queryAll = await QueryAsync("SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true", "queryAll");

        Assert.Equal(1, query.GetProperty("totalSize").GetInt32());
        Assert.Equal(id, queryAll.GetProperty("records")[0].GetProperty("Id").GetString());
    }

    [Fact]
    public async Task Count_ReturnsTotalSizeAndNoRecords()
    {
        InsertLead("A");
        InsertLead("B");
        var body = await QueryAsync("SELECT COUNT() FROM Lead");
        Assert.Equal(2, body.GetProperty("totalSize").GetInt32());
        Assert.Equal(0, body.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task MalformedQuery_Is400WithErrorCode()
    {
        var (status, body) = await GetAsync($"{Api}/query?q={Uri.EscapeDataString("SELECT Id FROM Lead HAVING COUNT(Id) > 1")}");
        Assert.Equal(400, status);
        Assert.Equal("MALFORMED_QUERY", ErrorCode(body));
    }

    [Fact]
    public async Task UnknownLocator_IsInvalidQueryLocator()
    {
        var (status, body) = await GetAsync($"{Api}/query/01gXX0000000001-2000");
        Assert.Equal(400, status);
        Assert.Equal("INVALID_QUERY_LOCATOR", ErrorCode(body));
    }
}
