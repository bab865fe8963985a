using System.Globalization;

namespace SfCompanion.Soak;

/// <summary>
/// Sales reps working in the org meanwhile, through the emulator's control endpoint (their changes are not the
/// integration user's API calls): they edit people, tick "Email Opt Out", untick it on someone who opted out through
/// SfCompanion (who must not end up re-subscribed), and delete leads.
/// </summary>
internal sealed class RepMutator(EmulatorControl emulator, IReadOnlyList<string> people, IReadOnlyList<string> clickers, SoakLedger ledger, double changesPerSecond, int seed)
{
    private readonly Random _random = new(seed);

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / changesPerSecond));
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                n++;
                await ActAsync(n, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ActAsync(int n, CancellationToken stop)
    {
        // Most changes land on campaign members the load generator acts as, where they collide with clicks and opt-outs.
        var target = _random.NextDouble() < 0.7 ? clickers[_random.Next(clickers.Count)] : people[_random.Next(people.Count)];
        var roll = _random.NextDouble();
        try
        {
            if (roll < 0.40)
            {
                if (await emulator.UpdateRecordAsync(target, new Dictionary<string, object?> { ["Title"] = "Soak " + n.ToString(CultureInfo.InvariantCulture), ["Phone"] = "+33 1 00 00 " + (n % 100).ToString("00", CultureInfo.InvariantCulture) + " 00" }, stop))
                {
                    ledger.RepActions.Enqueue(new RepAction("edit", target, DateTimeOffset.UtcNow));
                }
            }
            else if (roll < 0.60)
            {
                if (await emulator.UpdateRecordAsync(target, new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = true }, stop))
                {
                    ledger.RepActions.Enqueue(new RepAction("opt-out", target, DateTimeOffset.UtcNow));
                }
            }
            else if (roll < 0.88)
            {
                var optedOut = ledger.OptOuts.Where(o => o.Channel == "email" && o.At < DateTimeOffset.UtcNow.AddSeconds(-3)).Select(o => o.RecipientId).Distinct().ToList();
                if (optedOut.Count > 0)
                {
                    var person = optedOut[_random.Next(optedOut.Count)];
                    if (await emulator.UpdateRecordAsync(person, new Dictionary<string, object?> { ["HasOptedOutOfEmail"] = false }, stop))
                    {
                        ledger.RepActions.Enqueue(new RepAction("resubscribe", person, DateTimeOffset.UtcNow));
                    }
                }
            }
            else if (target.StartsWith("00Q", StringComparison.Ordinal) && await emulator.DeleteRecordAsync(target, stop))
            {
                ledger.RepActions.Enqueue(new RepAction("delete", target, DateTimeOffset.UtcNow));
            }
        }
        catch (HttpRequestException)
        {
        }
    }
}
