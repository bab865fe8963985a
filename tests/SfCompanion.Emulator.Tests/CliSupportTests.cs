using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

/// <summary>What the Salesforce CLI needs of an org beyond the resources the client library uses, over raw HTTP.</summary>
public class CliSupportTests : OrgTestBase
{
    [Fact]
    public async Task Columns_true_describes_a_querys_columns_with_parent_paths_nested()
    {
        InsertLead("Martin");

        var (status, body) = await GetAsync($"{Api}/query?q={Uri.EscapeDataString("SELECT Id, LastName, NumberOfEmployees, Owner.Name FROM Lead")}&columns=true");

        Assert.Equal(200, status);
        Assert.Equal("Lead", body.GetProperty("entityName").GetString());
        Assert.Equal("00Q", body.GetProperty("keyPrefix").GetString());
        Assert.False(body.TryGetProperty("records", out _));
        var columns = body.GetProperty("columnMetadata").EnumerateArray().ToList();
        Assert.Equal(["Id", "LastName", "NumberOfEmployees", "Owner"], columns.Select(c => c.GetProperty("columnName").GetString()));
        Assert.Equal("Id", columns[0].GetProperty("apexType").GetString());
        Assert.True(columns[1].GetProperty("textType").GetBoolean());
        Assert.True(columns[2].GetProperty("numberType").GetBoolean());
        var join = Assert.Single(columns[3].GetProperty("joinColumns").EnumerateArray());
        Assert.Equal(("Name", "Owner.Name"), (join.GetProperty("columnName").GetString(), join.GetProperty("displayName").GetString()));
        Assert.Equal(JsonValueKind.Null, columns[3].GetProperty("apexType").ValueKind);
    }

    [Fact]
    public async Task Repeated_slashes_after_the_instance_url_are_served_like_single_ones()
    {
        // Absolute URLs: a relative "//services" would name a host.
        var (versions, _) = await GetAsync(Org.BaseUrl + "//services/data/");
        var (query, body) = await GetAsync($"{Org.BaseUrl}/{Api}//query?q={Uri.EscapeDataString("SELECT COUNT() FROM Lead")}");

        Assert.Equal(200, versions);
        Assert.Equal(200, query);
        Assert.Equal(0, body.GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Describe_global_lists_every_object_as_its_own_closed_entry()
    {
        var (status, body) = await GetAsync($"{Api}/sobjects");

        Assert.Equal(200, status);
        var objects = body.GetProperty("sobjects").EnumerateArray().ToList();
        Assert.Contains(objects, o => o.GetProperty("name").GetString() == "Lead" && o.GetProperty("urls").GetProperty("describe").GetString() == $"{Api}/sobjects/Lead/describe");
        Assert.Equal(objects.Count, objects.Select(o => o.GetProperty("name").GetString()).Distinct().Count());
    }
}
