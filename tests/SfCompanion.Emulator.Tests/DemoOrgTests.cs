namespace SfCompanion.Emulator.Tests;

public class DemoOrgTests : OrgTestBase
{
    protected override EmulatorOptions CreateOptions() => new() { DemoLeads = 1_000, Seed = 7 };

    [Fact]
    public void Start_WithDemoLeads_FillsTheOrg()
    {
        Assert.Equal(1_000, Org.Data.Count("Lead"));
        Assert.True(Org.Data.Count("Account") > 0);
        Assert.True(Org.Data.Count("CampaignMember") > 0);
        Assert.True(Org.Data.Count("Opportunity") > 0);
    }

    [Fact]
    public void CampaignRollups_MatchTheirMembers()
    {
        foreach (var campaign in Org.Data.Query("SELECT Id, NumberOfLeads, NumberOfContacts, NumberOfResponses, NumberOfWonOpportunities FROM Campaign"))
        {
            var id = (string)campaign["Id"]!;
            Assert.Equal(Count($"SELECT COUNT() FROM CampaignMember WHERE CampaignId = '{id}' AND ContactId = null"), campaign["NumberOfLeads"]);
            Assert.Equal(Count($"SELECT COUNT() FROM CampaignMember WHERE CampaignId = '{id}' AND ContactId != null"), campaign["NumberOfContacts"]);
            Assert.Equal(Count($"SELECT COUNT() FROM CampaignMember WHERE CampaignId = '{id}' AND HasResponded = true"), campaign["NumberOfResponses"]);
            Assert.Equal(Count($"SELECT COUNT() FROM Opportunity WHERE CampaignId = '{id}' AND IsWon = true"), campaign["NumberOfWonOpportunities"]);
        }
    }

    [Fact]
    public async Task DemoData_IsServedThroughTheApi()
    {
        var body = await QueryAsync("SELECT Id, Name, Company, Owner.Name FROM Lead WHERE Owner.IsActive = true LIMIT 5");
        Assert.Equal(5, body.GetProperty("records").GetArrayLength());
        Assert.StartsWith("00Q", body.GetProperty("records")[0].GetProperty("Id").GetString(), StringComparison.Ordinal);
    }

    private int Count(string soql) => (int)Org.Data.Query(soql)[0]["COUNT()"]!;
}
