using WireMock.RequestBuilders;
using static SfCompanion.Salesforce.Tests.SalesforceTestServer;

namespace SfCompanion.Salesforce.Tests;

/// <summary><c>GET sobjects/{type}/describe</c>, with the body shape Salesforce documents (trimmed to the fields read).</summary>
public class DescribeTests
{
    private const string ContactDescribe = """
        {"name":"Contact","label":"Contact","keyPrefix":"003","custom":false,"fields":[
          {"name":"Id","type":"id","label":"Contact ID","length":18,"custom":false,"referenceTo":[],"relationshipName":null,"picklistValues":[]},
          {"name":"AccountId","type":"reference","label":"Account ID","length":18,"custom":false,"referenceTo":["Account"],"relationshipName":"Account","picklistValues":[]},
          {"name":"LeadSource","type":"picklist","label":"Lead Source","length":255,"custom":false,"referenceTo":[],"relationshipName":null,
           "picklistValues":[{"active":true,"defaultValue":false,"label":"Web","validFor":null,"value":"Web"},{"active":true,"defaultValue":false,"label":"Partner Referral","validFor":null,"value":"Partner Referral"}]},
          {"name":"Sfc_Vip__c","type":"boolean","label":"VIP","length":0,"custom":true,"referenceTo":[],"relationshipName":null,"picklistValues":[]}
        ]}
        """;

    [Fact]
    public async Task Describe_reads_types_references_and_picklist_values_for_one_API_call()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Contact/describe").UsingGet()).RespondWith(Json(ContactDescribe));

        var contact = await sf.Client.DescribeAsync("Contact", TestContext.Current.CancellationToken);

        Assert.Equal("Contact", contact.Name);
        Assert.Equal("003", contact.KeyPrefix);
        Assert.Equal(4, contact.Fields.Count);
        var account = contact.Relationship("account");
        Assert.NotNull(account);
        Assert.Equal("AccountId", account.Name);
        Assert.Equal(["Account"], account.ReferenceTo);
        Assert.Equal(["Web", "Partner Referral"], contact.Field("leadsource")!.PicklistValues);
        Assert.True(contact.Field("Sfc_Vip__c")!.Custom);
        Assert.Equal("boolean", contact.Field("Sfc_Vip__c")!.Type);
        Assert.Equal(1, sf.Client.Calls.ApiCalls);
        Assert.Equal(1, sf.Client.Calls.Snapshot()[SalesforceOperations.Describe]);
    }

    [Fact]
    public async Task Describe_reads_whether_the_user_may_query_the_object_and_set_each_field()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Lead/describe").UsingGet()).RespondWith(Json("""
            {"name":"Lead","keyPrefix":"00Q","queryable":true,"fields":[
              {"name":"Sfc_Score__c","type":"double","createable":true,"updateable":true},
              {"name":"IsConverted","type":"boolean","createable":false,"updateable":false},
              {"name":"Sfc_Vip__c","type":"boolean","createable":true,"updateable":false},
              {"name":"Company","type":"string"}
            ]}
            """));

        var lead = await sf.Client.DescribeAsync("Lead", TestContext.Current.CancellationToken);

        Assert.True(lead.Queryable);
        Assert.Equal((true, true), (lead.Field("Sfc_Score__c")!.Createable, lead.Field("Sfc_Score__c")!.Updateable));
        Assert.Equal((false, false), (lead.Field("IsConverted")!.Createable, lead.Field("IsConverted")!.Updateable));
        Assert.Equal((true, false), (lead.Field("Sfc_Vip__c")!.Createable, lead.Field("Sfc_Vip__c")!.Updateable));
        // Absent flags (older stored describes) mean "not known to be refused".
        Assert.Equal((true, true), (lead.Field("Company")!.Createable, lead.Field("Company")!.Updateable));
    }

    [Fact]
    public async Task Describe_of_an_unknown_object_raises_Salesforce_s_error()
    {
        using var sf = Create();
        sf.Server.Given(Request.Create().WithPath($"{DataPath}/sobjects/Nope__c/describe").UsingGet())
            .RespondWith(Json("""[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]""", 404));

        var error = await Assert.ThrowsAsync<SalesforceApiException>(() => sf.Client.DescribeAsync("Nope__c", TestContext.Current.CancellationToken));

        Assert.Equal("NOT_FOUND", error.ErrorCode);
    }
}
