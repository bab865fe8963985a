using SfCompanion.Demo;
using SfCompanion.IntegrationTests.Spine;

namespace SfCompanion.IntegrationTests.Demo;

/// <summary>The demo's writeback round (opt-outs propagated to duplicates) against an emulated demo org.</summary>
public sealed class OptOutRoundTests
{
    /// <summary>Large enough that the second of two initial loads (Bulk) is still writing when the first round runs.</summary>
    private const int Leads = 20_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_identical_round_costs_no_api_call_when_the_scheduled_sync_ran_alongside()
    {
        await using var h = await SpineHarness.StartAsync(demoLeads: Leads);
        var propagation = new DuplicateOptOutPropagation(h.Mirror, h.Outbox);

        // As in the demo: its own initial sync, and the scheduled sync job's pass started meanwhile, which found the
        // objects not loaded yet. The round starts when the demo's own sync is done.
        var demoSync = h.Sync.SyncAllAsync(cancellationToken: Ct);
        var scheduled = h.Sync.SyncAllAsync(cancellationToken: Ct);
        await demoSync;
        var enqueued = await propagation.EnqueueAsync(Ct);
        var first = await h.Writeback.RunAsync(cancellationToken: Ct);
        await scheduled;
        await propagation.EnqueueAsync(Ct);
        var second = await h.Writeback.RunAsync(cancellationToken: Ct);

        Assert.True(first.Succeeded > 0, $"the first round updated nothing ({enqueued} values, {first.Unchanged} unchanged)");
        Assert.Equal(0, first.Retrying);
        Assert.Equal(0, second.Sent);
        Assert.Equal(0, second.ApiCalls);
    }
}
