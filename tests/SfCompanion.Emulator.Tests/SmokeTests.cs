namespace SfCompanion.Emulator.Tests;

public class SmokeTests
{
    [Fact]
    public void ProjectLoads() => Assert.Equal(2, 1 + 1);
}
