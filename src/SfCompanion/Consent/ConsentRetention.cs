using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Consent;

/// <summary>What a retention pass did.</summary>
public sealed record RetentionResult(long Examined, long Anonymised, long Suppressions, long Flagged);

/// <summary>
/// Limits how long SfCompanion keeps data about a person: subjects whose last interaction (their own consent events,
/// or the activity date Salesforce shows) is older than <c>Consent:RetentionDays</c> (3 years by default) lose their
/// consent log and state, and what other capabilities hold about them (their clicks). Someone who had objected keeps a suppression record (salted hashes only) so they are not
/// contacted again. Optionally, leads and contacts past the period are flagged in Salesforce for review.
/// </summary>
public sealed class ConsentRetention(ConsentStore store, ConsentService consent, Mirror mirror, Outbox outbox, IOptions<ConsentOptions> options, TimeProvider time)
{
    public async Task<RetentionResult> RunAsync(Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
        long examined = 0, anonymised = 0, suppressions = 0, flagged = 0;
        var expired = new List<ConsentState>();
        await foreach (var state in store.ListStatesAsync(cancellationToken))
        {
            examined++;
            var record = ConsentService.ObjectOf(state.Subject) is { } sobject ? await mirror.GetAsync(sobject, state.Subject, cancellationToken) : null;
            if (LastInteraction(state, record) < cutoff)
            {
                expired.Add(state);
            }
        }

        // Deleted after the listing so the paged listing is not disturbed by its own deletions.
        foreach (var state in expired)
        {
            var now = time.GetUtcNow();
            if (state.Channels.Values.Any(c => c.OptedOut))
            {
                await store.SuppressAsync(state.Subject, now, "retention", cancellationToken);
                suppressions++;
                if (ConsentService.ObjectOf(state.Subject) is { } sobject && await mirror.GetAsync(sobject, state.Subject, cancellationToken) is { } record
                    && record["Email"] is { Length: > 0 } email)
                {
                    await store.SuppressAsync(email, now, "retention", cancellationToken);
                    suppressions++;
                }
            }

            await store.DeleteEventsAsync(state.Subject, cancellationToken);
            await store.DeleteStateAsync(state.Subject, cancellationToken);
            await consent.EraseHeldAsync(state.Subject, cancellationToken);
            anonymised++;
            progress?.Invoke(anonymised);
        }

        if (options.Value.RetentionFlagField is { Length: > 0 } flag)
        {
            flagged = await FlagAsync(flag, cutoff, cancellationToken);
        }

        return new RetentionResult(examined, anonymised, suppressions, flagged);
    }

    /// <summary>Queues the review flag on leads and contacts whose last activity (or creation, when none) is before the cut-off.</summary>
    private async Task<long> FlagAsync(string field, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        long flagged = 0;
        var values = new List<DesiredValue>();
        foreach (var sobject in new[] { "Lead", "Contact" })
        {
            await foreach (var record in mirror.ListAsync(sobject, cancellationToken))
            {
                var last = Latest(Parse(record["LastActivityDate"]), Parse(record["LastModifiedDate"]) ?? Parse(record["CreatedDate"]));
                if (last is { } at && at < cutoff && record[field] != "true")
                {
                    values.Add(new DesiredValue(sobject, record.Id, field, true, ConsentService.OutboxSource, $"no interaction since {at:yyyy-MM-dd}"));
                    flagged++;
                }

                if (values.Count >= 500)
                {
                    await outbox.EnqueueAsync(values, cancellationToken);
                    values.Clear();
                }
            }
        }

        await outbox.EnqueueAsync(values, cancellationToken);
        return flagged;
    }

    private static DateTimeOffset LastInteraction(ConsentState state, MirrorRecord? record) =>
        Latest(state.LastInteractionAt, Parse(record?["LastActivityDate"])) ?? state.LastInteractionAt;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static DateTimeOffset? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (SalesforceDateTime.TryParse(text, out var at))
        {
            return at;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : null;
    }
}
