using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Consent;

/// <summary>
/// Records consent changes: appends the proof to the subject's log first, then updates the current state, then
/// queues the Salesforce fields in the outbox. The local state is what SfCompanion honours at once; Salesforce
/// follows when the writeback reaches it, so an outage delays the fields, never the opt-out.
/// </summary>
public sealed class ConsentService(
    ConsentStore store, Outbox outbox, Mirror mirror, IOptions<ConsentOptions> options, TimeProvider time, IEnumerable<IPersonalDataHolder>? holders = null)
{
    private readonly IReadOnlyList<IPersonalDataHolder> _holders = [.. holders ?? []];

    public const string OutboxSource = "consent";

    private ConsentOptions Options => options.Value;

    /// <summary>The Salesforce object of a record id by its key prefix (Lead <c>00Q</c>, Contact <c>003</c>), or null.</summary>
    public static string? ObjectOf(string subject) => SalesforceIds.PersonObjectOf(subject);

    public async Task<ConsentState?> GetStateAsync(string subject, CancellationToken cancellationToken = default) =>
        (await store.GetStateAsync(subject, cancellationToken)).State;

    /// <summary>Whether <paramref name="subject"/> may not be contacted on <paramref name="channel"/> (honoured locally, whatever Salesforce shows yet).</summary>
    public async Task<bool> IsOptedOutAsync(string subject, string channel, CancellationToken cancellationToken = default) =>
        await store.IsSuppressedAsync(subject, cancellationToken)
        || (await GetStateAsync(subject, cancellationToken))?.IsOptedOut(channel) == true;

    /// <summary>Whether an email address was erased or expired and must not be contacted again.</summary>
    public Task<bool> IsEmailSuppressedAsync(string email, CancellationToken cancellationToken = default) => store.IsSuppressedAsync(email, cancellationToken);

    /// <summary>
    /// Applies changes for a subject. A change that would not alter the channel (opting out twice) is not recorded again,
    /// except a double opt-in confirmation of an existing opt-in. Changed channels are queued for writeback.
    /// </summary>
    public async Task<ConsentOutcome> ApplyAsync(string subject, IReadOnlyList<ConsentChange> changes, ConsentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var change in changes)
        {
            if (!ConsentChannels.IsKnown(change.Channel) || !ConsentActions.IsChange(change.Action))
            {
                throw new ArgumentException($"Unknown channel '{change.Channel}' or action '{change.Action}'.", nameof(changes));
            }
        }

        var now = time.GetUtcNow();
        var ip = store.DescribeIp(context.Ip);
        var state = await GetStateAsync(subject, cancellationToken) ?? new ConsentState { Subject = subject };
        var events = new List<ConsentEvent>();
        foreach (var change in changes)
        {
            var existing = state.Channels.GetValueOrDefault(change.Channel);
            if (existing is not null && existing.Status == change.Action && (!change.DoubleOptIn || existing.DoubleOptInAt is not null))
            {
                continue;
            }

            events.Add(new ConsentEvent
            {
                Subject = subject,
                Channel = change.Channel,
                Purpose = context.Purpose ?? Options.Purpose,
                Action = change.Action,
                Source = context.Source,
                At = context.At ?? now,
                RecordedAt = now,
                DoubleOptIn = change.DoubleOptIn,
                IpPrefix = ip?.Prefix,
                IpHash = ip?.Hash,
                UserAgent = Truncate(context.UserAgent, 400),
                TokenId = context.TokenId,
                Note = context.Note,
            });
        }

        if (events.Count == 0)
        {
            return new ConsentOutcome(state, []);
        }

        var next = await CommitAsync(subject, events, null, cancellationToken);
        await EnqueueWritebackAsync(next, cancellationToken);
        return new ConsentOutcome(next, events);
    }

    /// <summary>Appends a conflict record (Salesforce disagreed; the proof was kept), once per Salesforce change of the channel.</summary>
    internal async Task RecordConflictAsync(string subject, string channel, DateTimeOffset salesforceChangedAt, string note, CancellationToken cancellationToken)
    {
        var state = await GetStateAsync(subject, cancellationToken);
        if (state is not null && state.ConflictsSeen.TryGetValue(channel, out var seen) && seen >= salesforceChangedAt)
        {
            return;
        }

        var conflict = new ConsentEvent
        {
            Subject = subject, Channel = channel, Purpose = Options.Purpose, Action = ConsentActions.Conflict, Source = ConsentSources.Salesforce,
            At = salesforceChangedAt, RecordedAt = time.GetUtcNow(), Note = note,
        };
        await CommitAsync(subject, [conflict], s => s with
        {
            ConflictsSeen = new Dictionary<string, DateTimeOffset>(s.ConflictsSeen, StringComparer.Ordinal) { [channel] = salesforceChangedAt },
        }, cancellationToken);
    }

    /// <summary>
    /// The proof first (durable append), then the state: the appended events are applied to the latest state, again
    /// after a concurrent change, so no event is lost and none is appended twice.
    /// </summary>
    private async Task<ConsentState> CommitAsync(string subject, List<ConsentEvent> events, Func<ConsentState, ConsentState>? extra, CancellationToken cancellationToken)
    {
        var first = await store.AppendAsync(subject, events, cancellationToken);
        while (true)
        {
            var (current, version) = await store.GetStateAsync(subject, cancellationToken);
            var state = current ?? new ConsentState { Subject = subject };
            var channels = new Dictionary<string, ChannelConsent>(state.Channels, StringComparer.Ordinal);
            var lastChange = state.LastChangeAt;
            var lastInteraction = state.LastInteractionAt;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                if (e.Source != ConsentSources.Salesforce && e.Source != ConsentSources.AdminImport && e.At > lastInteraction)
                {
                    lastInteraction = e.At;
                }

                if (!ConsentActions.IsChange(e.Action))
                {
                    continue;
                }

                var previous = channels.GetValueOrDefault(e.Channel);
                channels[e.Channel] = new ChannelConsent
                {
                    Status = e.Action,
                    At = e.At,
                    Source = e.Source,
                    Sequence = first + i,
                    DoubleOptInAt = e.DoubleOptIn ? e.At : e.Action == ConsentActions.OptIn && previous?.Status == ConsentActions.OptIn ? previous.DoubleOptInAt : null,
                };
                lastChange = lastChange is null || e.At > lastChange ? e.At : lastChange;
            }

            var next = state with
            {
                Channels = channels,
                LastChangeAt = lastChange,
                LastInteractionAt = lastInteraction == default ? events[0].At : lastInteraction,
            };
            next = extra?.Invoke(next) ?? next;
            try
            {
                await store.PutStateAsync(next, version, cancellationToken);
                return next;
            }
            catch (ConcurrencyConflictException)
            {
                // Another request changed the state between our read and write: apply our events to theirs.
            }
        }
    }

    /// <summary>The Salesforce fields for a subject's state: email, phone and SMS opt-outs (an objection to all prospection sets all three) and the change date.</summary>
    public IReadOnlyList<DesiredValue> DesiredValues(ConsentState state, string reason)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (ObjectOf(state.Subject) is not { } sobject)
        {
            return [];
        }

        var values = new List<DesiredValue>
        {
            new(sobject, state.Subject, "HasOptedOutOfEmail", state.IsOptedOut(ConsentChannels.Email), OutboxSource, reason),
            new(sobject, state.Subject, "DoNotCall", state.IsOptedOut(ConsentChannels.Phone), OutboxSource, reason),
            new(sobject, state.Subject, Options.SmsOptOutField, state.IsOptedOut(ConsentChannels.Sms), OutboxSource, reason),
        };
        if (state.LastChangeAt is { } changed)
        {
            values.Add(new(sobject, state.Subject, Options.ChangedField, changed, OutboxSource, reason));
        }

        return values;
    }

    /// <summary>Queues the subject's Salesforce fields (and the linked Individual's when configured).</summary>
    public async Task EnqueueWritebackAsync(ConsentState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reason = "consent state of " + state.Subject;
        var values = DesiredValues(state, reason).ToList();
        if ((Options.WriteIndividual || Options.WriteContactPointTypeConsent) && ObjectOf(state.Subject) is { } sobject
            && await mirror.GetAsync(sobject, state.Subject, cancellationToken) is { } record && record["IndividualId"] is { Length: > 0 } individual)
        {
            if (Options.WriteIndividual)
            {
                values.Add(new("Individual", individual, "HasOptedOutSolicit", state.IsOptedOut(ConsentChannels.Prospection), OutboxSource, reason));
            }

            if (Options.WriteContactPointTypeConsent)
            {
                foreach (var consent in ContactPointTypeConsents(state, individual, reason))
                {
                    await outbox.EnqueueRecordAsync(consent, cancellationToken);
                }
            }
        }

        await outbox.EnqueueAsync(values, cancellationToken);
    }

    /// <summary>Salesforce contact point types SfCompanion keeps a <c>ContactPointTypeConsent</c> for, by channel.</summary>
    public static IReadOnlyDictionary<string, string> ContactPointTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ConsentChannels.Email] = "Email",
        [ConsentChannels.Phone] = "Phone",
    };

    /// <summary>
    /// One <c>ContactPointTypeConsent</c> per contact point type the person has a recorded choice for, upserted by
    /// <c>Sfc_Key__c</c> (Individual id and type) so it is created once and then kept current. The proof behind the
    /// status (a channel's own choice, or an objection to all prospection) gives the capture date and source.
    /// </summary>
    public IEnumerable<DesiredRecord> ContactPointTypeConsents(ConsentState state, string individualId, string reason)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (channel, type) in ContactPointTypes)
        {
            state.Channels.TryGetValue(channel, out var own);
            state.Channels.TryGetValue(ConsentChannels.Prospection, out var all);
            var proof = all is { OptedOut: true } && own is not { OptedOut: true } ? all : own;
            if (proof is null)
            {
                continue;
            }

            var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["Name"] = $"{type} - {Options.Purpose}",
                ["PartyId"] = individualId,
                ["ContactPointType"] = type,
                ["PrivacyConsentStatus"] = state.IsOptedOut(channel) ? "OptOut" : "OptIn",
                ["CaptureDate"] = proof.At,
                ["CaptureSource"] = "SfCompanion " + proof.Source,
                // A one-click unsubscribe comes from the mail client; pages and confirmation links from the web.
                ["CaptureContactPointType"] = proof.Source is ConsentSources.OneClick ? "Email" : proof.Source is ConsentSources.Salesforce or ConsentSources.AdminImport ? type : "Web",
            };
            if (proof.DoubleOptInAt is { } confirmed && !state.IsOptedOut(channel))
            {
                fields["DoubleConsentCaptureDate"] = confirmed;
            }

            if (Options.DataUsePurposeId is { Length: > 0 } purpose)
            {
                fields["DataUsePurposeId"] = purpose;
            }

            yield return new DesiredRecord("ContactPointTypeConsent", individualId + "-" + type, fields, OutboxSource, reason, ExternalIdField: "Sfc_Key__c");
        }
    }

    /// <summary>Everything held about a subject: consent state and log, the mirrored Salesforce record, pending writeback.</summary>
    public async Task<ConsentExport> ExportAsync(string subject, CancellationToken cancellationToken = default)
    {
        var copy = new Dictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        OutboxEntry? pending = null;
        if (ObjectOf(subject) is { } sobject)
        {
            if (await mirror.GetAsync(sobject, subject, cancellationToken) is { } record)
            {
                copy[sobject] = record.Fields;
            }

            pending = await outbox.GetAsync(sobject, subject, cancellationToken);
        }

        var other = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var holder in _holders)
        {
            other[holder.Name] = await holder.ExportAsync(subject, cancellationToken);
        }

        return new ConsentExport(
            subject,
            time.GetUtcNow(),
            await GetStateAsync(subject, cancellationToken),
            await store.ReadEventsAsync(subject, cancellationToken),
            copy,
            pending,
            await store.IsSuppressedAsync(subject, cancellationToken),
            other);
    }

    /// <summary>
    /// Erasure: deletes the subject's consent log and state and SfCompanion's copy of the record, keeps suppression
    /// records (salted hashes of the record id and email address) and queues a full opt-out for Salesforce, so the person
    /// is not contacted again.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(string subject, string reason, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var hashes = new List<string> { await store.SuppressAsync(subject, now, reason, cancellationToken) };
        var deletedRecords = 0;
        if (ObjectOf(subject) is { } sobject)
        {
            if (await mirror.GetAsync(sobject, subject, cancellationToken) is { } record)
            {
                if (record["Email"] is { Length: > 0 } email)
                {
                    hashes.Add(await store.SuppressAsync(email, now, reason, cancellationToken));
                }

                deletedRecords += await mirror.DeleteAsync(sobject, subject, cancellationToken) ? 1 : 0;
            }

            var optedOut = new ConsentState
            {
                Subject = subject,
                Channels = ConsentChannels.All.ToDictionary(c => c, _ => new ChannelConsent { Status = ConsentActions.OptOut, At = now, Source = ConsentSources.AdminImport }, StringComparer.Ordinal),
                LastChangeAt = now,
            };
            await outbox.EnqueueAsync(DesiredValues(optedOut, "erasure: " + reason), cancellationToken);
        }

        var events = await store.DeleteEventsAsync(subject, cancellationToken);
        var stateDeleted = await store.DeleteStateAsync(subject, cancellationToken);
        return new ErasureResult(subject, events, stateDeleted, deletedRecords, hashes, await EraseHeldAsync(subject, cancellationToken));
    }

    /// <summary>Deletes what other capabilities hold about <paramref name="subject"/> (erasure and retention).</summary>
    public async Task<IReadOnlyDictionary<string, int>> EraseHeldAsync(string subject, CancellationToken cancellationToken = default)
    {
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var holder in _holders)
        {
            deleted[holder.Name] = await holder.EraseAsync(subject, cancellationToken);
        }

        return deleted;
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
