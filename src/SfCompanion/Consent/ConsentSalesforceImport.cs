using Microsoft.Extensions.Options;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Consent;

/// <summary>
/// Reads the opt-out fields of the mirrored leads and contacts after a sync and reconciles them with the consent log:
/// <list type="bullet">
/// <item>an opt-out made in Salesforce (a rep ticked "Email Opt Out") is imported into the log, unless the log holds a
/// newer opt-in proof, in which case the proof wins and Salesforce is corrected;</item>
/// <item>opt-out is monotonic: Salesforce showing a person opted in again, without newer proof in the log, does not
/// re-subscribe them; the conflict is recorded once and the opt-out is queued again;</item>
/// <item>records whose email address or id was erased or expired get a full opt-out again.</item>
/// </list>
/// Records with values still waiting in the outbox are skipped: Salesforce just has not received them yet.
/// </summary>
public sealed class ConsentSalesforceImport(ConsentService consent, ConsentStore store, Mirror mirror, Outbox outbox, SyncObjectCatalog catalog, IOptions<ConsentOptions> options, TimeProvider time)
{
    private static readonly string[] Objects = ["Lead", "Contact"];

    public async Task<ConsentImportResult> RunAsync(Action<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var tally = new Tally();
        var fields = OptOutFields();
        foreach (var sobject in Objects)
        {
            await foreach (var record in mirror.ListAsync(sobject, cancellationToken))
            {
                tally.Examined++;
                if (tally.Examined % 1000 == 0)
                {
                    progress?.Invoke(tally.Examined);
                }

                if (await IsSuppressedAsync(record, cancellationToken))
                {
                    await KeepSuppressedOptedOutAsync(sobject, record, fields, tally, cancellationToken);
                }
                else
                {
                    await ReconcileAsync(sobject, record, fields, tally, cancellationToken);
                }
            }
        }

        progress?.Invoke(tally.Examined);
        return new ConsentImportResult(tally.Examined, tally.Imported, tally.Conflicts, tally.Suppressed, FieldsNotSynced(fields));
    }

    private sealed class Tally
    {
        public long Examined { get; set; }

        public long Imported { get; set; }

        public long Conflicts { get; set; }

        public long Suppressed { get; set; }
    }

    /// <summary>The opt-out field of each channel on leads and contacts.</summary>
    private (string Channel, string Field)[] OptOutFields() =>
    [
        (ConsentChannels.Email, "HasOptedOutOfEmail"),
        (ConsentChannels.Phone, "DoNotCall"),
        (ConsentChannels.Sms, options.Value.SmsOptOutField),
    ];

    /// <summary>Fields the import would read but the sync does not bring into the mirror (reported as a warning).</summary>
    private List<string> FieldsNotSynced((string Channel, string Field)[] fields) =>
        (from sobject in Objects
         from field in fields
         let synced = catalog.Find(sobject)
         where synced is not null && !synced.Fields.Contains(field.Field, StringComparer.OrdinalIgnoreCase)
         select sobject + "." + field.Field).ToList();

    /// <summary>An erased or expired person stays opted out everywhere in Salesforce, whatever was changed there.</summary>
    private async Task KeepSuppressedOptedOutAsync(string sobject, MirrorRecord record, (string Channel, string Field)[] fields, Tally tally, CancellationToken cancellationToken)
    {
        var needsOptOut = fields.Any(f => record.Fields.ContainsKey(f.Field) && record[f.Field] != "true");
        if (needsOptOut && await outbox.GetAsync(sobject, record.Id, cancellationToken) is null)
        {
            tally.Suppressed++;
            await outbox.EnqueueAsync(SuppressedValues(sobject, record.Id, fields), cancellationToken);
        }
    }

    /// <summary>
    /// Compares each channel's opt-out in Salesforce with the local consent state: an opt-out made in Salesforce is
    /// imported unless a newer opt-in proof stands; an opt-out undone in Salesforce without proof is a conflict and the
    /// local opt-out is written back again.
    /// </summary>
    private async Task ReconcileAsync(string sobject, MirrorRecord record, (string Channel, string Field)[] fields, Tally tally, CancellationToken cancellationToken)
    {
        var state = await consent.GetStateAsync(record.Id, cancellationToken);
        var changedAt = ChangedAt(record);
        var toImport = new List<ConsentChange>();
        var reassert = false;
        foreach (var (channel, field) in fields)
        {
            if (!await DiffersAsync(sobject, record, state, channel, field, cancellationToken))
            {
                continue;
            }

            if (record[field] == "true" && !HasNewerOptIn(state, channel, changedAt))
            {
                toImport.Add(new ConsentChange(channel, ConsentActions.OptOut));
                continue;
            }

            tally.Conflicts++;
            reassert = true;
            await consent.RecordConflictAsync(record.Id, channel, changedAt, ConflictNote(record, state!, channel, field, changedAt), cancellationToken);
        }

        if (toImport.Count > 0)
        {
            tally.Imported += toImport.Count;
            var outcome = await consent.ApplyAsync(record.Id, toImport,
                new ConsentContext(ConsentSources.Salesforce, At: changedAt, Note: $"opted out in Salesforce ({sobject} changed {changedAt:O})"), cancellationToken);
            state = outcome.State;
            reassert = true;
        }

        if (reassert && state is not null)
        {
            await consent.EnqueueWritebackAsync(state, cancellationToken);
        }
    }

    /// <summary>Whether Salesforce and the local state disagree on a channel that is synced and has no value of ours pending.</summary>
    private async Task<bool> DiffersAsync(string sobject, MirrorRecord record, ConsentState? state, string channel, string field, CancellationToken cancellationToken)
    {
        if (!record.Fields.ContainsKey(field))
        {
            // Not synced (e.g. the SMS field is not in Sync:Objects): nothing to compare.
            return false;
        }

        var salesforceOut = record[field] == "true";
        var localOut = state?.IsOptedOut(channel) ?? false;
        return salesforceOut != localOut
            && !(await outbox.GetAsync(sobject, record.Id, cancellationToken) is { } pending && pending.Fields.ContainsKey(field));
    }

    private static bool HasNewerOptIn(ConsentState? state, string channel, DateTimeOffset changedAt) =>
        state?.Channels.GetValueOrDefault(channel) is { Status: ConsentActions.OptIn } proof && proof.At > changedAt;

    private static string ConflictNote(MirrorRecord record, ConsentState state, string channel, string field, DateTimeOffset changedAt)
    {
        if (record[field] == "true")
        {
            var proof = state.Channels[channel];
            return $"Salesforce shows {field} = true (record changed {changedAt:O}); the opt-in recorded at {proof.At:O} is newer and stands.";
        }

        var own = state.Channels.GetValueOrDefault(channel) ?? state.Channels[ConsentChannels.Prospection];
        return $"Salesforce shows {field} = false (record changed {changedAt:O}) without a newer opt-in proof; the opt-out recorded at {own.At:O} ({own.Source}) stands.";
    }

    private async Task<bool> IsSuppressedAsync(MirrorRecord record, CancellationToken cancellationToken) =>
        await store.IsSuppressedAsync(record.Id, cancellationToken)
        || (record["Email"] is { Length: > 0 } email && await store.IsSuppressedAsync(email, cancellationToken));

    private DateTimeOffset ChangedAt(MirrorRecord record) =>
        (record["SystemModstamp"] ?? record["LastModifiedDate"]) is { } text && SalesforceDateTime.TryParse(text, out var at) ? at : time.GetUtcNow();

    private static List<DesiredValue> SuppressedValues(string sobject, string id, (string Channel, string Field)[] fields) =>
        fields.Select(f => new DesiredValue(sobject, id, f.Field, true, ConsentService.OutboxSource, "suppressed (erased or expired)")).ToList();
}
