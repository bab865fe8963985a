namespace SfCompanion.Salesforce.Tests;

public class SmokeTests
{
    [Fact]
    public void ProjectLoads() => Assert.Equal(2, 1 + 1);
}
