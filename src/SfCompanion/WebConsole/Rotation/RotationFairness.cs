using System.Text.Json;
using SfCompanion.Rotation;
using SfCompanion.Storage;

namespace SfCompanion.WebConsole.Rotation;

/// <summary>
/// How a pool's assignments were shared: per rep, the suspects given to them (assignments, recycles and reassignments
/// to them in the audit log) next to what their weight share of the same total would give. Reps on leave have no
/// share: the others' weights make the whole.
/// </summary>
public static class RotationFairness
{
    /// <summary>Audit entries read at most (the newest ones), so the page stays quick on a long log.</summary>
    public const int MaxEntries = 50_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record RepShare(string UserId, int Received, double Expected, double WeightShare);

    public static async Task<IReadOnlyList<RepShare>> ComputeAsync(ILogStore logs, RotationPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(pool);
        var received = new Dictionary<string, int>(StringComparer.Ordinal);
        var last = await logs.GetLastSequenceAsync(RotationService.AuditLog, cancellationToken);
        var after = Math.Max(0, last - MaxEntries);
        while (true)
        {
            var page = await logs.ReadAsync(RotationService.AuditLog, after, 1000, cancellationToken);
            foreach (var entry in page)
            {
                var e = JsonSerializer.Deserialize<RotationEvent>(entry.Payload, Json);
                if (e is { To: { } to } && e.Pool == pool.Name && e.Action is "assign" or "recycle" or "reassign")
                {
                    received[to] = received.GetValueOrDefault(to) + 1;
                }
            }

            if (page.Count < 1000)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        var total = received.Values.Sum();
        var weights = pool.Reps.Where(r => !r.OnLeave).Sum(r => r.Weight);
        return [.. pool.Reps.Select(r =>
        {
            var share = weights <= 0 || r.OnLeave ? 0 : r.Weight / weights;
            return new RepShare(r.UserId, received.GetValueOrDefault(r.UserId), total * share, share);
        })];
    }
}
