using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SfCompanion.Consent;
using SfCompanion.Jobs;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Tracking;
using SfCompanion.Writeback;

namespace SfCompanion.Soak;

/// <summary>
/// After the quiet period, compares what the harness did, what the service stored and what the org holds. Reads the
/// store through the service's own storage adapter (read only) and the org through SOQL with the service's client.
/// </summary>
internal sealed class InvariantChecker(IStore store, ISalesforceClient org, SoakLedger ledger)
{
    /// <summary>Salesforce errors that say "try again": a value refused with one of these must be retried, never dead-lettered.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "REQUEST_LIMIT_EXCEEDED", "INVALID_SESSION_ID", "UNKNOWN_EXCEPTION",
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static readonly string[] Channels = ["email", "phone", "sms"];
    private static readonly string[] ScannerFragments = ["barracuda", "mimecast", "proofpoint", "python-requests"];
    private readonly Dictionary<string, SObjectRecord> _people = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);
    private readonly List<(LogEntry Entry, ClickEvent Click)> _log = [];
    private readonly List<ClickerAggregate> _clickers = [];

    public async Task<IReadOnlyList<InvariantResult>> CheckAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return
        [
            ClicksInLog(),
            ClicksInAggregates(),
            await AnonymousClicksCountedAsync(cancellationToken),
            ScannersNeverHuman(),
            await HumanClickersInOrgAsync(cancellationToken),
            OptOutsInOrg(),
            await NoResubscriptionAsync(cancellationToken),
            await OutboxDrainedAsync(cancellationToken),
            await MirrorEqualsOrgAsync(cancellationToken),
            await NoDuplicateTasksAsync(cancellationToken),
            await NoOverlappingRunsAsync(cancellationToken),
            PublicRequestsAnswered(),
        ];
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            var page = await store.ReadAsync(ClickEvent.Log, after, 5000, cancellationToken);
            foreach (var entry in page)
            {
                _log.Add((entry, JsonSerializer.Deserialize<ClickEvent>(entry.Payload, Json)!));
            }

            if (page.Count < 5000)
            {
                break;
            }

            after = page[^1].Sequence;
        }

        await foreach (var doc in store.ListAllAsync(ClickAggregateStore.ClickerKind, 1000, cancellationToken))
        {
            _clickers.Add(JsonSerializer.Deserialize<ClickerAggregate>(doc.Data, Json)!);
        }

        foreach (var type in new[] { "Lead", "Contact" })
        {
            await foreach (var person in org.QueryAsync($"SELECT Id, IsDeleted, HasOptedOutOfEmail, DoNotCall, Sfc_Sms_Opt_Out__c, Sfc_Email_Clicks__c, Sfc_Last_Click_Date__c FROM {type}", new QueryOptions { IncludeDeleted = true }, cancellationToken))
            {
                if (person.GetBoolean("IsDeleted") == true)
                {
                    _deleted.Add(person.Id!);
                }
                else
                {
                    _people[person.Id!] = person;
                }
            }
        }

        _deleted.UnionWith(ledger.DeletedIds());
    }

    private static long? ClickNumber(string? userAgent)
    {
        var at = userAgent?.LastIndexOf(" SoakRun/", StringComparison.Ordinal) ?? -1;
        return at >= 0 && long.TryParse(userAgent![(at + 9)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private InvariantResult ClicksInLog()
    {
        var result = new InvariantResult("every answered click is in the click log exactly once");
        var byNumber = _log.GroupBy(e => ClickNumber(e.Click.UserAgent)).ToDictionary(g => g.Key ?? -1, g => g.ToList());
        var sent = ledger.Clicks.ToDictionary(c => c.Number);
        foreach (var click in sent.Values)
        {
            var entries = byNumber.GetValueOrDefault(click.Number) ?? [];
            if (click.Answered)
            {
                result.Checked++;
            }

            if (click.Answered && entries.Count != 1)
            {
                result.Violation($"click {click.Number} ({click.Kind}, link {click.LinkId}, recipient {click.RecipientId ?? "none"}) answered 302 but is {entries.Count} times in the log");
            }
            else if (entries.Count > 1)
            {
                result.Violation($"click {click.Number} (not answered) is {entries.Count} times in the log");
            }

            foreach (var (entry, logged) in entries)
            {
                if (logged.LinkId != click.LinkId || logged.CampaignId != click.CampaignId || logged.RecipientId != click.RecipientId)
                {
                    result.Violation($"click {click.Number} logged as seq {entry.Sequence} with link {logged.LinkId}, campaign {logged.CampaignId}, recipient {logged.RecipientId ?? "none"}; sent: link {click.LinkId}, campaign {click.CampaignId}, recipient {click.RecipientId ?? "none"}");
                }
            }
        }

        foreach (var (number, entries) in byNumber.Where(b => !sent.ContainsKey(b.Key)))
        {
            result.Violation($"{entries.Count} log entries (first seq {entries[0].Entry.Sequence}) for click {number}, which the load generator never sent");
        }

        return result;
    }

    private InvariantResult ClicksInAggregates()
    {
        var result = new InvariantResult("every logged recipient click is in the aggregates exactly once");
        var seen = new Dictionary<long, List<string>>();
        foreach (var clicker in _clickers)
        {
            foreach (var click in clicker.Clicks)
            {
                (seen.TryGetValue(click.Seq, out var keys) ? keys : seen[click.Seq] = []).Add(ClickerAggregate.KeyOf(clicker.CampaignId, clicker.RecipientId));
            }
        }

        foreach (var (entry, click) in _log.Where(l => l.Click.RecipientId is not null))
        {
            result.Checked++;
            var keys = seen.GetValueOrDefault(entry.Sequence) ?? [];
            var expected = ClickerAggregate.KeyOf(click.CampaignId, click.RecipientId!);
            if (keys.Count != 1 || keys[0] != expected)
            {
                result.Violation($"click seq {entry.Sequence} ({click.RecipientId} in {click.CampaignId}) is in the aggregates {keys.Count} times ({string.Join(", ", keys)}); expected once in {expected}");
            }
        }

        var logged = _log.Select(l => l.Entry.Sequence).ToHashSet();
        foreach (var (seq, keys) in seen.Where(s => !logged.Contains(s.Key)))
        {
            result.Violation($"aggregate {keys[0]} holds click seq {seq}, which is not in the click log");
        }

        return result;
    }

    private async Task<InvariantResult> AnonymousClicksCountedAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("every anonymous click is counted once in its campaign");
        foreach (var campaign in _log.Where(l => l.Click.RecipientId is null).GroupBy(l => l.Click.CampaignId))
        {
            var doc = await store.GetAsync(ClickAggregateStore.CampaignKind, campaign.Key, cancellationToken);
            var aggregate = doc is null ? null : JsonSerializer.Deserialize<CampaignAggregate>(doc.Data, Json);
            foreach (var link in campaign.GroupBy(l => l.Click.LinkId))
            {
                result.Checked += link.Count();
                var counted = aggregate?.Anonymous.GetValueOrDefault(link.Key)?.Total ?? 0;
                if (counted != link.Count())
                {
                    result.Violation($"campaign {campaign.Key}, link {link.Key}: {link.Count()} anonymous clicks in the log, {counted} counted");
                }
            }
        }

        return result;
    }

    private InvariantResult ScannersNeverHuman()
    {
        var result = new InvariantResult("no click from a scanner's user agent counted as human");
        var agents = _log.ToDictionary(l => l.Entry.Sequence, l => l.Click.UserAgent ?? "");
        foreach (var clicker in _clickers)
        {
            foreach (var click in clicker.Clicks)
            {
                var agent = agents.GetValueOrDefault(click.Seq, "");
                if (!ScannerFragments.Any(f => agent.Contains(f, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                result.Checked++;
                if (click.Reason is null)
                {
                    result.Violation($"click seq {click.Seq} of {clicker.RecipientId} in {clicker.CampaignId} by '{agent}' counted as human");
                }
            }
        }

        return result;
    }

    private async Task<InvariantResult> HumanClickersInOrgAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("every human clicker's member status, click counters and task are in the org");
        var campaigns = _clickers.Select(c => c.CampaignId).Distinct().ToList();
        var members = new Dictionary<(string Campaign, string Person), SObjectRecord>();
        foreach (var campaign in campaigns)
        {
            await foreach (var member in org.QueryAsync($"SELECT Id, CampaignId, LeadId, ContactId, Status, HasResponded FROM CampaignMember WHERE CampaignId = '{campaign}'", cancellationToken: cancellationToken))
            {
                members[(campaign, member.GetString("LeadId") ?? member.GetString("ContactId") ?? "")] = member;
            }
        }

        var tasks = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var task in org.QueryAsync("SELECT Id, Sfc_Key__c FROM Task WHERE Sfc_Key__c != null", cancellationToken: cancellationToken))
        {
            tasks.Add(task.GetString("Sfc_Key__c")!);
        }

        foreach (var person in _clickers.GroupBy(c => c.RecipientId))
        {
            if (_deleted.Contains(person.Key))
            {
                result.Exempt++;
                continue;
            }

            var human = person.SelectMany(c => c.HumanClicks).ToList();
            var record = _people.GetValueOrDefault(person.Key);
            result.Checked++;
            if (record is null)
            {
                result.Violation($"{person.Key}: clicked, but not found in the org");
                continue;
            }

            var clicks = record.GetDecimal("Sfc_Email_Clicks__c") ?? 0;
            if (clicks != human.Count)
            {
                result.Violation($"{person.Key}: Sfc_Email_Clicks__c = {clicks} in the org, {human.Count} human clicks in the aggregates");
            }

            var last = human.Count == 0 ? (DateTimeOffset?)null : human.Max(c => c.At);
            var orgLast = record.GetDateTimeOffset("Sfc_Last_Click_Date__c");
            if (human.Count > 0 && (orgLast is null || Math.Abs((orgLast.Value - last!.Value).TotalMilliseconds) >= 1))
            {
                result.Violation($"{person.Key}: Sfc_Last_Click_Date__c = {orgLast:o} in the org, last human click {last:o}");
            }

            foreach (var clicker in person.Where(c => c.HumanClicks.Any()))
            {
                if (!members.TryGetValue((clicker.CampaignId, clicker.RecipientId), out var member))
                {
                    result.Violation($"{clicker.RecipientId}: human clicks in campaign {clicker.CampaignId} but no campaign member in the org");
                }
                else if (member.GetBoolean("HasResponded") != true)
                {
                    result.Violation($"campaign member {member.Id} ({clicker.RecipientId} in {clicker.CampaignId}): status '{member.GetString("Status")}', not responded, after {clicker.HumanClicks.Count()} human clicks");
                }

                if (!tasks.Contains("sfc-click-" + clicker.CampaignId + "-" + clicker.RecipientId))
                {
                    result.Violation($"{clicker.RecipientId}: human clicks in campaign {clicker.CampaignId} but no follow-up task in the org");
                }
            }
        }

        // The other way round: counters in the org that no human click explains.
        var clickers = _clickers.Select(c => c.RecipientId).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, record) in _people.Where(p => !clickers.Contains(p.Key) && (p.Value.GetDecimal("Sfc_Email_Clicks__c") ?? 0) != 0))
        {
            result.Violation($"{id}: Sfc_Email_Clicks__c = {record.GetDecimal("Sfc_Email_Clicks__c")} in the org without any click");
        }

        return result;
    }

    private static string FieldOf(string channel) => channel switch
    {
        "email" => "HasOptedOutOfEmail",
        "phone" => "DoNotCall",
        "sms" => "Sfc_Sms_Opt_Out__c",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    private InvariantResult OptOutsInOrg()
    {
        var result = new InvariantResult("every opt-out reached the org");
        var expected = ledger.OptOuts.Select(o => (o.RecipientId, Field: FieldOf(o.Channel), o.Source))
            .Concat(ledger.RepActions.Where(a => a.Kind == "opt-out").Select(a => (RecipientId: a.RecordId, Field: "HasOptedOutOfEmail", Source: "rep in Salesforce")))
            .DistinctBy(o => (o.RecipientId, o.Field));
        foreach (var (person, field, source) in expected)
        {
            if (_deleted.Contains(person))
            {
                result.Exempt++;
                continue;
            }

            result.Checked++;
            if (_people.GetValueOrDefault(person)?.GetBoolean(field) != true)
            {
                result.Violation($"{person}: opted out ({source}) but {field} is not set in the org");
            }
        }

        return result;
    }

    private async Task<InvariantResult> NoResubscriptionAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("no opted-out person was re-subscribed");
        var checkedPairs = new HashSet<(string, string)>();
        await foreach (var doc in store.ListAllAsync(ConsentStore.StateKind, 1000, cancellationToken))
        {
            var state = JsonSerializer.Deserialize<ConsentState>(doc.Data, Json)!;
            foreach (var channel in Channels.Where(state.IsOptedOut))
            {
                if (_deleted.Contains(state.Subject))
                {
                    result.Exempt++;
                    continue;
                }

                result.Checked++;
                checkedPairs.Add((state.Subject, channel));
                if (_people.GetValueOrDefault(state.Subject)?.GetBoolean(FieldOf(channel)) != true)
                {
                    result.Violation($"{state.Subject}: opted out of {channel} in the consent log, but {FieldOf(channel)} is not set in the org");
                }
            }
        }

        // Every opt-out confirmed to a visitor must be in the consent state, and a rep's untick must not have undone it.
        foreach (var optOut in ledger.OptOuts.Where(o => !_deleted.Contains(o.RecipientId)).DistinctBy(o => (o.RecipientId, o.Channel)))
        {
            if (!checkedPairs.Contains((optOut.RecipientId, optOut.Channel)))
            {
                result.Checked++;
                result.Violation($"{optOut.RecipientId}: opted out of {optOut.Channel} ({optOut.Source}, {optOut.At:o}) but the consent state says subscribed");
            }
        }

        foreach (var resubscribe in ledger.RepActions.Where(a => a.Kind == "resubscribe" && !_deleted.Contains(a.RecordId)).DistinctBy(a => a.RecordId))
        {
            result.Checked++;
            if (_people.GetValueOrDefault(resubscribe.RecordId)?.GetBoolean("HasOptedOutOfEmail") != true)
            {
                result.Violation($"{resubscribe.RecordId}: a rep unticked Email Opt Out at {resubscribe.At:o} and it stayed unticked");
            }
        }

        return result;
    }

    private async Task<InvariantResult> OutboxDrainedAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("outbox empty; what remains is dead-lettered with Salesforce's reason");
        await foreach (var doc in store.ListAllAsync(Outbox.Kind, 1000, cancellationToken))
        {
            result.Checked++;
            var entry = JsonSerializer.Deserialize<OutboxEntry>(doc.Data, Json)!;
            result.Violation($"outbox {doc.Key}: still pending ({string.Join(", ", entry.Fields.Keys)}), {entry.Attempts} attempts, last error {entry.LastError ?? "none"}");
        }

        await foreach (var doc in store.ListAllAsync(Outbox.DeadKind, 1000, cancellationToken))
        {
            result.Checked++;
            var dead = JsonSerializer.Deserialize<DeadLetter>(doc.Data, Json)!;
            if (string.IsNullOrWhiteSpace(dead.ErrorCode) || string.IsNullOrWhiteSpace(dead.Message) || dead.ErrorCode.StartsWith("SFC_", StringComparison.Ordinal))
            {
                result.Violation($"dead letter {doc.Key}: no Salesforce reason ({dead.ErrorCode}: {dead.Message})");
            }
            else if (TransientCodes.Contains(dead.ErrorCode))
            {
                result.Violation($"dead letter {doc.Key}: {dead.ErrorCode} ({dead.Message}) is a transient refusal, it should have been retried");
            }
            else if (!_deleted.Contains(dead.Entry.Id) && dead.Entry.Fields.Values.All(f => f.Value is null || !_deleted.Contains(f.Value)))
            {
                result.Violation($"dead letter {doc.Key}: {dead.ErrorCode} ({dead.Message}) on a record no rep deleted");
            }
        }

        return result;
    }

    private async Task<InvariantResult> MirrorEqualsOrgAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("the mirror equals the org for every synced field");
        var mirror = new Mirror(store, new SyncObjectCatalog(Microsoft.Extensions.Options.Options.Create(new SyncOptions())));
        foreach (var type in SyncObjectCatalog.Defaults().Select(o => o.Name))
        {
            var mirrored = new Dictionary<string, MirrorRecord>(StringComparer.Ordinal);
            await foreach (var record in mirror.ListAsync(type, cancellationToken))
            {
                mirrored[record.Id] = record;
            }

            // Synced fields: the default ones, and any other field every mirrored record has (a capability's required field).
            // Fields only some records have were merged in by the writeback, not synced.
            var fields = new List<string> { "Id", "SystemModstamp" };
            fields.AddRange(SyncObjectCatalog.Defaults().First(o => o.Name == type).Fields);
            if (mirrored.Count > 0)
            {
                var common = new HashSet<string>(mirrored.Values.First().Fields.Keys, StringComparer.OrdinalIgnoreCase);
                foreach (var record in mirrored.Values)
                {
                    common.IntersectWith(record.Fields.Keys);
                }

                fields.AddRange(common);
            }

            fields = [.. fields.Distinct(StringComparer.OrdinalIgnoreCase)];

            var inOrg = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var row in org.QueryAsync($"SELECT {string.Join(", ", fields)} FROM {type}", cancellationToken: cancellationToken))
            {
                inOrg.Add(row.Id!);
                result.Checked++;
                if (!mirrored.TryGetValue(row.Id!, out var copy))
                {
                    result.Violation($"{type} {row.Id}: in the org, not in the mirror");
                    continue;
                }

                foreach (var field in fields.Where(f => !string.Equals(f, "Id", StringComparison.OrdinalIgnoreCase)))
                {
                    var orgValue = FieldValues.ToText(row[field]);
                    var mirrorValue = copy.Fields.FirstOrDefault(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase)).Value;
                    if (!FieldValues.AreEqual(mirrorValue, orgValue))
                    {
                        result.Violation($"{type} {row.Id}.{field}: mirror '{mirrorValue}', org '{orgValue}'");
                    }
                }
            }

            foreach (var id in mirrored.Keys.Where(id => !inOrg.Contains(id)))
            {
                result.Violation($"{type} {id}: in the mirror, not in the org (deleted there)");
            }
        }

        return result;
    }

    private async Task<InvariantResult> NoDuplicateTasksAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("no duplicate follow-up tasks");
        var tasks = new List<SObjectRecord>();
        await foreach (var task in org.QueryAsync("SELECT Id, Sfc_Key__c, WhoId, Subject FROM Task WHERE Sfc_Key__c != null", cancellationToken: cancellationToken))
        {
            tasks.Add(task);
        }

        result.Checked = tasks.Count;
        foreach (var group in tasks.GroupBy(t => t.GetString("Sfc_Key__c")).Where(g => g.Count() > 1))
        {
            result.Violation($"{group.Count()} tasks with Sfc_Key__c '{group.Key}': {string.Join(", ", group.Select(t => t.Id))}");
        }

        foreach (var group in tasks.GroupBy(t => (t.GetString("WhoId"), t.GetString("Subject"))).Where(g => g.Count() > 1))
        {
            result.Violation($"{group.Count()} tasks for {group.Key.Item1} with subject '{group.Key.Item2}': {string.Join(", ", group.Select(t => t.Id))}");
        }

        return result;
    }

    private async Task<InvariantResult> NoOverlappingRunsAsync(CancellationToken cancellationToken)
    {
        var result = new InvariantResult("no job ran twice at once");
        var runs = new List<JobRun>();
        await foreach (var doc in store.ListAllAsync(JobStore.RunKind, 1000, cancellationToken))
        {
            runs.Add(JsonSerializer.Deserialize<JobRun>(doc.Data, Json)!);
        }

        var kills = ledger.Kills.OrderBy(k => k).ToList();
        foreach (var job in runs.Where(r => r.StartedAt is not null && r.Status is not ("Skipped" or "Queued")).GroupBy(r => r.Job))
        {
            var ordered = job.Select(r => (Run: r, Start: r.StartedAt!.Value, End: EffectiveEnd(r, kills))).OrderBy(r => r.Start).ToList();
            result.Checked += ordered.Count;
            for (var i = 1; i < ordered.Count; i++)
            {
                var previous = ordered[..i].MaxBy(r => r.End);
                if (ordered[i].Start < previous.End)
                {
                    result.Violation($"job {job.Key}: run {ordered[i].Run.Id} ({ordered[i].Run.Status}, owner {ordered[i].Run.Owner}) started {ordered[i].Start:HH:mm:ss.fff} while run {previous.Run.Id} ({previous.Run.Status}, owner {previous.Run.Owner}, {previous.Start:HH:mm:ss.fff}–{previous.End:HH:mm:ss.fff}) was running");
                }
            }
        }

        return result;
    }

    /// <summary>When a run really stopped: its end, or for a run abandoned by a killed process, the kill.</summary>
    private static DateTimeOffset EffectiveEnd(JobRun run, List<DateTimeOffset> kills)
    {
        var end = run.EndedAt ?? DateTimeOffset.MaxValue;
        if (run.Status == JobRunStatus.Abandoned || run.EndedAt is null)
        {
            var kill = kills.FirstOrDefault(k => k >= run.StartedAt!.Value);
            if (kill != default && kill < end)
            {
                end = kill;
            }
        }

        return end;
    }

    private InvariantResult PublicRequestsAnswered()
    {
        var result = new InvariantResult("every public request that reached a live process was answered as promised");
        result.Checked = ledger.Clicks.Count + ledger.OptOuts.Count + ledger.RequestFailures.Count;
        foreach (var failure in ledger.RequestFailures)
        {
            result.Violation(failure);
        }

        return result;
    }
}
