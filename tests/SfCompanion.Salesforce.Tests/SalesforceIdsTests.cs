using SfCompanion.Salesforce;

namespace SfCompanion.Salesforce.Tests;

public sealed class SalesforceIdsTests
{
    [Theory]
    [InlineData("00Q000000000001AAA", "Lead")]
    [InlineData("003000000000001", "Contact")]
    [InlineData("7010000000000014AB", "Campaign")]
    [InlineData("001000000000001AAA", "Account")]
    [InlineData("006000000000001AAA", "Opportunity")]
    [InlineData("a0B000000000001AAA", null)]
    [InlineData("00", null)]
    [InlineData(null, null)]
    public void The_key_prefix_names_the_object(string? id, string? expected) => Assert.Equal(expected, SalesforceIds.ObjectOf(id));

    [Theory]
    [InlineData("00Q000000000001AAA", true)]
    [InlineData("00Q000000000001", true)]
    [InlineData("00Q00000000001", false)]
    [InlineData("00Q000000000001AA!", false)]
    [InlineData("", false)]
    public void Ids_are_15_or_18_letters_and_digits(string id, bool expected) => Assert.Equal(expected, SalesforceIds.IsWellFormed(id));

    [Fact]
    public void Only_leads_and_contacts_are_people()
    {
        Assert.Equal("Lead", SalesforceIds.PersonObjectOf("00Q000000000001AAA"));
        Assert.Equal("Contact", SalesforceIds.PersonObjectOf("003000000000001AAA"));
        Assert.Null(SalesforceIds.PersonObjectOf("001000000000001AAA"));
        Assert.True(SalesforceIds.IsIdOf("701000000000001AAA", "Campaign"));
        Assert.False(SalesforceIds.IsIdOf("00Q000000000001AAA", "Campaign"));
    }

    [Theory]
    [InlineData("5", "5.0", true)]
    [InlineData("TRUE", "true", true)]
    [InlineData("2026-01-01T10:00:00.000+0000", "2026-01-01T10:00:00Z", true)]
    [InlineData("a", "A", false)]
    [InlineData(null, "x", false)]
    public void Field_values_compare_as_Salesforce_holds_them(string? left, string? right, bool equal) =>
        Assert.Equal(equal, FieldValues.AreEqual(left, right));
}
