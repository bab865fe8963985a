using SfCompanion.Emulator.Model;

namespace SfCompanion.Emulator.Tests;

public class CampaignTests : OrgTestBase
{
    private string Campaign() => Org.Data.Insert("Campaign", new Dictionary<string, object?> { ["Name"] = "Salon 2026" });

    [Fact]
    public async Task ApiCreatedCampaign_GetsDefaultStatuses()
    {
        var (_, created) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/Campaign", new { Name = "Webinar" });
        var id = created.GetProperty("id").GetString()!;

        var statuses = Org.Data.Query($"SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = '{id}' ORDER BY SortOrder");

        Assert.Equal(["Sent", "Responded"], statuses.Select(s => s["Label"]));
        Assert.Equal(true, statuses[0]["IsDefault"]);
        Assert.Equal(true, statuses[1]["HasResponded"]);
    }

    [Fact]
    public async Task MemberStatus_MustBeOneOfTheCampaignStatuses()
    {
        var campaign = Campaign();
        var lead = InsertLead("A");
        var (status, body) = await SendAsync(HttpMethod.Post, $"{Api}/sobjects/CampaignMember", new { CampaignId = campaign, LeadId = lead, Status = "Invented" });
        Assert.Equal(400, status);
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ErrorCode(body));
    }

    [Fact]
    public void MemberStatus_DrivesHasRespondedAndRollups()
    {
        var campaign = Campaign();
        var member = Org.Data.Insert("CampaignMember", new Dictionary<string, object?> { ["CampaignId"] = campaign, ["LeadId"] = InsertLead("A") });
        var contact = Org.Data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "C" });
        Org.Data.Insert("CampaignMember", new Dictionary<string, object?> { ["CampaignId"] = campaign, ["ContactId"] = contact, ["Status"] = "Responded" });

        Assert.Equal("Sent", Org.Data.Get(member)!["Status"]);
        Assert.Equal(false, Org.Data.Get(member)!["HasResponded"]);
        Assert.Equal((1, 1, 1), Rollups(campaign));

        Org.Data.Update(member, new Dictionary<string, object?> { ["Status"] = "Responded" });
        Assert.Equal(true, Org.Data.Get(member)!["HasResponded"]);
        Assert.NotNull(Org.Data.Get(member)!["FirstRespondedDate"]);
        Assert.Equal((1, 1, 2), Rollups(campaign));

        Org.Data.Delete(member);
        Assert.Equal((0, 1, 1), Rollups(campaign));
    }

    [Fact]
    public void WonOpportunities_RollUpToCampaign()
    {
        var campaign = Campaign();
        var close = new DateOnly(2026, 5, 1);
        var won = Org.Data.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "W", ["StageName"] = "Closed Won", ["CloseDate"] = close, ["Amount"] = 1200m, ["CampaignId"] = campaign });
        Org.Data.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "L", ["StageName"] = "Closed Lost", ["CloseDate"] = close, ["Amount"] = 800m, ["CampaignId"] = campaign });
        var open = Org.Data.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "O", ["StageName"] = "Prospecting", ["CloseDate"] = close, ["Amount"] = 500m, ["CampaignId"] = campaign });

        Assert.Equal(true, Org.Data.Get(won)!["IsWon"]);
        AssertWon(campaign, 1, 1200m);

        Org.Data.Update(open, new Dictionary<string, object?> { ["StageName"] = "Closed Won" });
        AssertWon(campaign, 2, 1700m);
        Assert.Equal(3, Org.Data.Get(campaign)!["NumberOfOpportunities"]);
    }

    [Fact]
    public void UnknownObject_IsNotFound()
    {
        var error = Assert.Throws<SalesforceApiException>(() => Org.Data.Insert("Spaceship", new Dictionary<string, object?>()));
        Assert.Equal("NOT_FOUND", error.ErrorCode);
    }

    private (int Leads, int Contacts, int Responses) Rollups(string campaign)
    {
        var c = Org.Data.Get(campaign)!;
        return ((int)c["NumberOfLeads"]!, (int)c["NumberOfContacts"]!, (int)c["NumberOfResponses"]!);
    }

    private void AssertWon(string campaign, int count, decimal amount)
    {
        var c = Org.Data.Get(campaign)!;
        Assert.Equal(count, c["NumberOfWonOpportunities"]);
        Assert.Equal(amount, c["AmountWonOpportunities"]);
    }
}
