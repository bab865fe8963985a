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
        long examined = 0, imported = 0, conflicts = 0, suppressed = 0;
        (string Channel, string Field)[] fields =
        [
            (ConsentChannels.Email, "HasOptedOutOfEmail"),
            (ConsentChannels.Phone, "DoNotCall"),
            (ConsentChannels.Sms, options.Value.SmsOptOutField),
        ];
        foreach (var sobject in Objects)
        {
            await foreach (var record in mirror.ListAsync(sobject, cancellationToken))
            {
                examined++;
                if (examined % 1000 == 0)
                {
                    progress?.Invoke(examined);
                }

                if (await IsSuppressedAsync(record, cancellationToken))
                {
                    var needsOptOut = fields.Any(f => record.Fields.ContainsKey(f.Field) && record[f.Field] != "true");
                    if (needsOptOut && await outbox.GetAsync(sobject, record.Id, cancellationToken) is null)
                    {
                        suppressed++;
                        await outbox.EnqueueAsync(SuppressedValues(sobject, record.Id, fields), cancellationToken);
                    }

                    continue;
                }

                var state = await consent.GetStateAsync(record.Id, cancellationToken);
                var changedAt = ChangedAt(record);
                var toImport = new List<ConsentChange>();
                var reassert = false;
                foreach (var (channel, field) in fields)
                {
                    if (!record.Fields.ContainsKey(field))
                    {
                        // Not synced (e.g. the SMS field is not in Sync:Objects): nothing to compare.
                        continue;
                    }

                    var salesforceOut = record[field] == "true";
                    var localOut = state?.IsOptedOut(channel) ?? false;
                    if (salesforceOut == localOut)
                    {
                        continue;
                    }

                    if (await outbox.GetAsync(sobject, record.Id, cancellationToken) is { } pending && pending.Fields.ContainsKey(field))
                    {
                        continue;
                    }

                    if (salesforceOut)
                    {
                        var proof = state?.Channels.GetValueOrDefault(channel);
                        if (proof is { Status: ConsentActions.OptIn } && proof.At > changedAt)
                        {
                            conflicts++;
                            reassert = true;
                            await consent.RecordConflictAsync(record.Id, channel, changedAt,
                                $"Salesforce shows {field} = true (record changed {changedAt:O}); the opt-in recorded at {proof.At:O} is newer and stands.", cancellationToken);
                        }
                        else
                        {
                            toImport.Add(new ConsentChange(channel, ConsentActions.OptOut));
                        }
                    }
                    else
                    {
                        conflicts++;
                        reassert = true;
                        var own = state!.Channels.GetValueOrDefault(channel) ?? state.Channels[ConsentChannels.Prospection];
                        await consent.RecordConflictAsync(record.Id, channel, changedAt,
                            $"Salesforce shows {field} = false (record changed {changedAt:O}) without a newer opt-in proof; the opt-out recorded at {own.At:O} ({own.Source}) stands.", cancellationToken);
                    }
                }

                if (toImport.Count > 0)
                {
                    imported += toImport.Count;
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
        }

        progress?.Invoke(examined);
        var notSynced = (from sobject in Objects
                         from field in fields
                         let synced = catalog.Find(sobject)
                         where synced is not null && !synced.Fields.Contains(field.Field, StringComparer.OrdinalIgnoreCase)
                         select sobject + "." + field.Field).ToList();
        return new ConsentImportResult(examined, imported, conflicts, suppressed, notSynced);
    }

    private async Task<bool> IsSuppressedAsync(MirrorRecord record, CancellationToken cancellationToken) =>
        await store.IsSuppressedAsync(record.Id, cancellationToken)
        || (record["Email"] is { Length: > 0 } email && await store.IsSuppressedAsync(email, cancellationToken));

    private DateTimeOffset ChangedAt(MirrorRecord record) =>
        (record["SystemModstamp"] ?? record["LastModifiedDate"]) is { } text && SalesforceDateTime.TryParse(text, out var at) ? at : time.GetUtcNow();

    private static List<DesiredValue> SuppressedValues(string sobject, string id, (string Channel, string Field)[] fields) =>
        fields.Select(f => new DesiredValue(sobject, id, f.Field, true, ConsentService.OutboxSource, "suppressed (erased or expired)")).ToList();
}
