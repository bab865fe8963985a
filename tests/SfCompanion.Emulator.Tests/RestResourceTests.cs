using System.Globalization;

namespace SfCompanion.Emulator.Tests;

public class RestResourceTests : OrgTestBase
{
    [Fact]
    public async Task Versions_ListsVersionsWithoutAuthentication()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(Org.BaseUrl) };
        var json = await anonymous.GetStringAsync("/services/data", Ct);
        Assert.Contains("\"version\":\"62.0\"", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"/services/data/v62.0\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ReturnsSaveResultAndStoresRecord()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Lead", new { FirstName = "Élodie", LastName = "Martin", Company = "Dupont SA", NumberOfEmployees = 250 });

        Assert.Equal(201, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.StartsWith("00Q", id, StringComparison.Ordinal);
        var stored = Org.Data.Get(id)!;
        Assert.Equal("Élodie Martin", stored["Name"]);
        Assert.Equal(250, stored["NumberOfEmployees"]);
        Assert.Equal(Org.Data.AdminUserId, stored["OwnerId"]);
        Assert.False((bool)stored["IsConverted"]!);
    }

    [Fact]
    public async Task Create_UnknownField_IsInvalidField()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Lead", new { LastName = "X", Company = "Y", Shoe_Size__c = 42 });
        Assert.Equal(400, status);
        Assert.Equal("INVALID_FIELD", ErrorCode(body));
        Assert.Equal("No such column 'Shoe_Size__c' on sobject of type Lead", body[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Create_MissingRequiredFields_ListsThem()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Lead", new { FirstName = "X" });
        Assert.Equal(400, status);
        Assert.Equal("REQUIRED_FIELD_MISSING", ErrorCode(body));
        Assert.Equal(["LastName", "Company"], body[0].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Create_WrongType_IsInvalidTypeOnField()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Lead", new { LastName = "X", Company = "Y", NumberOfEmployees = "many" });
        Assert.Equal("INVALID_TYPE_ON_FIELD_IN_RECORD", ErrorCode(body));
    }

    [Fact]
    public async Task Create_MalformedReference_IsMalformedId()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Contact", new { LastName = "X", AccountId = "nope" });
        Assert.Equal("MALFORMED_ID", ErrorCode(body));
    }

    [Fact]
    public async Task Create_ReadOnlyField_IsRefused()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Lead", new { LastName = "X", Company = "Y", IsConverted = true });
        Assert.Equal("INVALID_FIELD_FOR_INSERT_UPDATE", ErrorCode(body));
    }

    [Fact]
    public async Task Retrieve_WithFields_ReturnsAttributesAndSelectedFields()
    {
        var id = InsertLead("Durand", extra: new() { ["Email"] = "durand@example.fr" });
        var (status, body) = await GetAsync($"{Api}/sobjects/Lead/{id[..15]}?fields=Email,LastName");

        Assert.Equal(200, status);
        Assert.Equal("Lead", body.GetProperty("attributes").GetProperty("type").GetString());
        Assert.Equal($"{Api}/sobjects/Lead/{id}", body.GetProperty("attributes").GetProperty("url").GetString());
        Assert.Equal("durand@example.fr", body.GetProperty("Email").GetString());
        Assert.False(body.TryGetProperty("Company", out _));
    }

    [Fact]
    public async Task Update_ChangesFieldsAndMovesSystemModstamp()
    {
        var id = InsertLead("Durand");
        var before = (DateTimeOffset)Org.Data.Get(id)!["SystemModstamp"]!;
        await Task.Yield();

        var (status, _) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Sfc_Score__c = 87.5, Sfc_Vip__c = true });

        Assert.Equal(204, status);
        var after = Org.Data.Get(id)!;
        Assert.Equal(87.5m, after["Sfc_Score__c"]);
        Assert.Equal(true, after["Sfc_Vip__c"]);
        Assert.True((DateTimeOffset)after["SystemModstamp"]! >= before);
    }

    [Fact]
    public async Task Delete_ThenUpdate_IsEntityIsDeleted()
    {
        var id = InsertLead("Durand");
        var (deleteStatus, _) = await SendAsync(HttpMethod.Delete, $"{Api}/sobjects/Lead/{id}");
        var (updateStatus, body) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/{id}", new { Title = "CEO" });

        Assert.Equal(204, deleteStatus);
        Assert.Equal(400, updateStatus);
        Assert.Equal("ENTITY_IS_DELETED", ErrorCode(body));
        Assert.Equal(true, Org.Data.Get(id)!["IsDeleted"]);
    }

    [Fact]
    public async Task Retrieve_UnknownId_IsNotFound()
    {
        var (status, body) = await GetAsync($"{Api}/sobjects/Lead/00QgK0000009999");
        Assert.Equal(404, status);
        Assert.Equal("NOT_FOUND", ErrorCode(body));
    }

    [Fact]
    public async Task Upsert_ByExternalId_CreatesThenUpdates()
    {
        var (createStatus, created) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/Sfc_Tracking_Token__c/tok-1", new { LastName = "Roux", Company = "Roux SARL" });
        var (updateStatus, updated) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/Sfc_Tracking_Token__c/tok-1", new { Title = "Gérante" });

        Assert.Equal(201, createStatus);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal(200, updateStatus);
        Assert.False(updated.GetProperty("created").GetBoolean());
        Assert.Equal(created.GetProperty("id").GetString(), updated.GetProperty("id").GetString());
        Assert.Equal("Gérante", Org.Data.Get(created.GetProperty("id").GetString()!)!["Title"]);
    }

    [Fact]
    public async Task Upsert_AmbiguousExternalId_Answers300WithRecordUrls()
    {
        var a = InsertLead("A", extra: new() { ["Sfc_Tracking_Token__c"] = "dup" });
        var b = InsertLead("B", extra: new() { ["Sfc_Tracking_Token__c"] = "dup" });

        var (status, body) = await SendAsync(HttpMethod.Patch, $"{Api}/sobjects/Lead/Sfc_Tracking_Token__c/dup", new { Title = "X" });

        Assert.Equal(300, status);
        Assert.Equal([$"{Api}/sobjects/Lead/{a}", $"{Api}/sobjects/Lead/{b}"], body.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Describe_ListsStandardAndCustomFields()
    {
        var (status, body) = await GetAsync($"{Api}/sobjects/Contact/describe");
        Assert.Equal(200, status);
        Assert.Equal("003", body.GetProperty("keyPrefix").GetString());
        var fields = body.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("reference", fields["AccountId"].GetProperty("type").GetString());
        Assert.Equal("Account", fields["AccountId"].GetProperty("relationshipName").GetString());
        Assert.True(fields["Sfc_Tracking_Token__c"].GetProperty("custom").GetBoolean());
        Assert.True(fields["Sfc_Tracking_Token__c"].GetProperty("externalId").GetBoolean());
        Assert.Equal("datetime", fields["SystemModstamp"].GetProperty("type").GetString());
    }

    [Fact]
    public async Task EveryResponse_CarriesLimitInfo()
    {
        using var ok = await Http.GetAsync($"{Api}/limits", Ct);
        using var notFound = await Http.GetAsync($"{Api}/sobjects/Nope/describe", Ct);

        Assert.Equal("api-usage=1/100000", ok.Headers.GetValues("Sforce-Limit-Info").Single());
        Assert.Equal("api-usage=2/100000", notFound.Headers.GetValues("Sforce-Limit-Info").Single());
    }

    [Fact]
    public async Task Limits_ReportsDailyApiRequests()
    {
        Org.Limits.SetUsed(41);
        var (_, body) = await GetAsync($"{Api}/limits");
        var daily = body.GetProperty("DailyApiRequests");
        Assert.Equal(100_000, daily.GetProperty("Max").GetInt32());
        Assert.Equal(100_000 - 42, daily.GetProperty("Remaining").GetInt32());
    }

    [Fact]
    public async Task Create_TaskWithoutStatus_GetsPicklistDefaults()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Task", new { Subject = "Rappeler" });
        Assert.Equal(201, status);
        var task = Org.Data.Get(body.GetProperty("id").GetString()!)!;
        Assert.Equal("Not Started", task["Status"]);
        Assert.Equal("Normal", task["Priority"]);
    }

    [Fact]
    public async Task IdentityUrl_DescribesTheTokenUser()
    {
        var (status, body) = await GetAsync($"/id/{Org.Data.OrganizationId}/{Org.Data.AdminUserId}");
        Assert.Equal(200, status);
        Assert.Equal(Org.DemoUsername, body.GetProperty("username").GetString());
        Assert.Equal(Org.Data.AdminUserId, body.GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task DateTimes_UseSalesforceFormat()
    {
        var id = InsertLead("Durand", extra: new() { ["Sfc_Last_Click_Date__c"] = new DateTimeOffset(2026, 1, 5, 8, 30, 0, TimeSpan.FromHours(1)) });
        var (_, body) = await GetAsync($"{Api}/sobjects/Lead/{id}?fields=Sfc_Last_Click_Date__c");
        Assert.Equal("2026-01-05T07:30:00.000+0000", body.GetProperty("Sfc_Last_Click_Date__c").GetString());
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("Sfc_Last_Click_Date__c").GetString()!.Replace("+0000", "+00:00", StringComparison.Ordinal), CultureInfo.InvariantCulture, out _));
    }
}
