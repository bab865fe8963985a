using System.Text.Json;
using SfCompanion.Consent;

namespace SfCompanion.Tracking;

/// <summary>
/// Keeps the clicks of a person erased after clicking out of the click log, when they reach it after the erasure: a
/// click still in a journal while the erasure ran (on this process or another), or one the erasure removed from the
/// log before a crash let the journal move it again. Erasure records a suppression (with its time) and moves a mark
/// before it deletes anything; the drainer reads the mark around each append, and checks the batch's people only when
/// it moved (or while it replays an earlier process's journal). A click is dropped when its person was suppressed at
/// or after it, within <see cref="ClockMargin"/> (the clicking and the erasing process may not share a clock).
/// </summary>
public sealed class ErasedClickFilter(ConsentStore consent)
{
    /// <summary>Clicks up to this long after their person's erasure are dropped too.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(1);

    private long? _seen;

    /// <summary>The current mark: compare it with <see cref="HasMoved"/>, and <see cref="Seen"/> it once the check is done.</summary>
    public Task<long> ReadMarkAsync(CancellationToken cancellationToken) => consent.SuppressionMarkAsync(cancellationToken);

    /// <summary>True when a suppression happened since the last mark <see cref="Seen"/> (always before the first).</summary>
    public bool HasMoved(long mark) => mark != _seen;

    public void Seen(long mark) => _seen = mark;

    /// <summary>A filter of its own for another journal's drainer (the mark each has seen is its own).</summary>
    public ErasedClickFilter ForAnotherJournal() => new(consent);

    /// <summary>The indexes of the payloads (click JSON) whose person was suppressed at or after the click.</summary>
    public async Task<List<int>> FindErasedAsync(IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        var erased = new List<int>();
        var suppressedAt = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        for (var i = 0; i < payloads.Count; i++)
        {
            if (Parse(payloads[i]) is not { RecipientId: { Length: > 0 } recipient } click)
            {
                continue;
            }

            if (!suppressedAt.TryGetValue(recipient, out var at))
            {
                at = await consent.SuppressedAtAsync(recipient, cancellationToken);
                suppressedAt[recipient] = at;
            }

            if (at is { } when && click.At <= when + ClockMargin)
            {
                erased.Add(i);
            }
        }

        return erased;
    }

    private static ClickEvent? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ClickJsonContext.Default.ClickEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
