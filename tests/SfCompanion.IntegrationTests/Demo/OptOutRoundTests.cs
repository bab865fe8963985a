using SfCompanion.Demo;
using SfCompanion.IntegrationTests.Spine;

namespace SfCompanion.IntegrationTests.Demo;

/// <summary>The demo's writeback round (opt-outs propagated to duplicates) against an emulated demo org.</summary>
public sealed class OptOutRoundTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_identical_round_costs_no_api_call()
    {
        var leads = int.Parse(Environment.GetEnvironmentVariable("SFC_OPTOUT_LEADS") ?? "100000", System.Globalization.CultureInfo.InvariantCulture);
        await using var h = await SpineHarness.StartAsync(demoLeads: leads);
        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var propagation = new DuplicateOptOutPropagation(h.Mirror, h.Outbox);

        var enqueued = await propagation.EnqueueAsync(Ct);
        var first = await h.Writeback.RunAsync(cancellationToken: Ct);
        Console.WriteLine($"first: enqueued {enqueued} {first}");
        await propagation.EnqueueAsync(Ct);
        var second = await h.Writeback.RunAsync(cancellationToken: Ct);
        Console.WriteLine($"second: {second} {string.Join(",", second.CallsByOperation)} outbox {await h.Outbox.CountAsync(Ct)}");

        Assert.Equal(0, second.ApiCalls);
    }
}
