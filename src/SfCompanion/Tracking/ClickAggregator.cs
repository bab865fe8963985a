using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Recipients;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Tracking;

/// <summary>
/// Turns the click log into aggregates and desired Salesforce values: reads clicks after its cursor (older than
/// <c>Tracking:SettleSeconds</c>), classifies them per recipient and campaign, then queues through the outbox the
/// member status, the lead/contact click fields, the follow-up task, the campaign figures and the recipient tokens of
/// tracked campaigns' members. Idempotent: values already queued or already in Salesforce cost nothing again.
/// </summary>
public sealed class ClickAggregator(
    ILogStore logs,
    ClickAggregateStore aggregates,
    TrackedLinks links,
    Mirror mirror,
    Outbox outbox,
    RecipientTokens tokens,
    IOptions<TrackingOptions> options,
    TimeProvider time)
{
    public const string Consumer = "click-aggregation";
    public const string Source = "tracking";
    private const int PageSize = 5000;

    private TrackingOptions Options => options.Value;

    public async Task<AggregationResult> RunAsync(Action<long, string>? progress = null, CancellationToken cancellationToken = default)
    {
        var classifier = new ClickClassifier(Options);
        var tally = new Tally();
        var cursor = await logs.GetCursorAsync(ClickEvent.Log, Consumer, cancellationToken);
        var settle = TimeSpan.FromSeconds(Options.SettleSeconds);
        var horizon = time.GetUtcNow() - settle;
        DateTimeOffset? nextSettlesAt = null;
        while (true)
        {
            var entries = await logs.ReadAsync(ClickEvent.Log, cursor, PageSize, cancellationToken);
            var settled = entries.TakeWhile(e => e.Timestamp <= horizon).ToList();
            if (settled.Count < entries.Count)
            {
                nextSettlesAt = entries[settled.Count].Timestamp + settle;
            }

            if (settled.Count == 0)
            {
                break;
            }

            await IngestAsync(settled, classifier, tally, cancellationToken);
            cursor = settled[^1].Sequence;
            await logs.SetCursorAsync(ClickEvent.Log, Consumer, cursor, cancellationToken);
            progress?.Invoke(tally.Read, "classifying clicks");
            if (settled.Count < entries.Count || entries.Count < PageSize)
            {
                break;
            }
        }

        var linkCache = new Dictionary<string, TrackedLink?>(StringComparer.Ordinal);
        foreach (var clicker in await aggregates.FindClickersAsync("pending", "1", cancellationToken))
        {
            await QueueClickerAsync(clicker, linkCache, tally, cancellationToken);
        }

        progress?.Invoke(tally.Read, "campaigns and tokens");
        foreach (var campaignId in await links.TrackedCampaignsAsync(cancellationToken))
        {
            await QueueCampaignAsync(campaignId, tally, cancellationToken);
        }

        return new AggregationResult
        {
            ClicksRead = tally.Read,
            HumanClicks = tally.Human,
            FlaggedClicks = tally.Flagged,
            AnonymousClicks = tally.Anonymous,
            RecordsQueued = tally.Queued,
            Waiting = tally.Waiting,
            NextSettlesAt = nextSettlesAt,
        };
    }

    private async Task IngestAsync(List<LogEntry> entries, ClickClassifier classifier, Tally tally, CancellationToken cancellationToken)
    {
        var byClicker = new Dictionary<(string Campaign, string Recipient), List<RecordedClick>>();
        var anonymous = new Dictionary<string, List<(long Seq, ClickEvent Click)>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            tally.Read++;
            ClickEvent? click;
            try
            {
                click = JsonSerializer.Deserialize(entry.Payload, ClickJsonContext.Default.ClickEvent);
            }
            catch (JsonException)
            {
                continue;
            }

            if (click is null)
            {
                continue;
            }

            if (click.RecipientId is null)
            {
                tally.Anonymous++;
                (anonymous.TryGetValue(click.CampaignId, out var list) ? list : anonymous[click.CampaignId] = []).Add((entry.Sequence, click));
                continue;
            }

            var key = (click.CampaignId, click.RecipientId);
            var recorded = new RecordedClick { Seq = entry.Sequence, LinkId = click.LinkId, At = click.At, Signal = classifier.SignalOf(click) };
            (byClicker.TryGetValue(key, out var clicks) ? clicks : byClicker[key] = []).Add(recorded);
        }

        foreach (var ((campaignId, recipientId), clicks) in byClicker)
        {
            var memberSince = await MemberSinceAsync(campaignId, recipientId, cancellationToken);
            await RetryOnConflictAsync(async () =>
            {
                var (existing, version) = await aggregates.GetClickerAsync(campaignId, recipientId, cancellationToken);
                var known = existing?.Clicks.Select(c => c.Seq).ToHashSet() ?? [];
                var all = (existing?.Clicks ?? []).Concat(clicks.Where(c => !known.Contains(c.Seq))).ToList();
                var classified = classifier.Classify(all, memberSince);
                var clicker = (existing ?? new ClickerAggregate { CampaignId = campaignId, RecipientId = recipientId }) with { Clicks = [.. classified], Pending = true };
                await aggregates.PutClickerAsync(clicker, version, cancellationToken);
            }, cancellationToken);
            foreach (var click in clicks)
            {
                if (click.Signal is null)
                {
                    tally.Human++;
                }
                else
                {
                    tally.Flagged++;
                }
            }
        }

        foreach (var (campaignId, clicks) in anonymous)
        {
            await RetryOnConflictAsync(async () =>
            {
                var (campaign, version) = await aggregates.GetCampaignAsync(campaignId, cancellationToken);
                var counts = new Dictionary<string, AnonymousCounts>(campaign.Anonymous, StringComparer.Ordinal);
                foreach (var (seq, click) in clicks.Where(c => c.Seq > campaign.ProcessedThrough))
                {
                    var current = counts.GetValueOrDefault(click.LinkId) ?? new AnonymousCounts();
                    var flagged = new Dictionary<string, long>(current.Flagged, StringComparer.Ordinal);
                    if (classifier.SignalOf(click) is { } reason)
                    {
                        flagged[reason] = flagged.GetValueOrDefault(reason) + 1;
                    }

                    counts[click.LinkId] = new AnonymousCounts { Total = current.Total + 1, Flagged = flagged };
                }

                var through = Math.Max(campaign.ProcessedThrough, clicks.Max(c => c.Seq));
                await aggregates.PutCampaignAsync(campaign with { Anonymous = counts, ProcessedThrough = through }, version, cancellationToken);
            }, cancellationToken);
        }
    }

    private static async Task RetryOnConflictAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await write();
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // Another run or replica wrote the same aggregate: read it again.
            }
        }
    }

    private async Task<DateTimeOffset?> MemberSinceAsync(string campaignId, string recipientId, CancellationToken cancellationToken) =>
        await FindMemberAsync(campaignId, recipientId, cancellationToken) is { } member && SalesforceDateTime.TryParse(member["CreatedDate"], out var created)
            ? created
            : null;

    private async Task<MirrorRecord?> FindMemberAsync(string campaignId, string recipientId, CancellationToken cancellationToken)
    {
        var field = SalesforceIds.ObjectOf(recipientId) == "Contact" ? "ContactId" : "LeadId";
        var members = await mirror.FindAsync("CampaignMember", field, recipientId, cancellationToken: cancellationToken);
        return members.FirstOrDefault(m => string.Equals(m["CampaignId"], campaignId, StringComparison.Ordinal));
    }

    private async Task QueueClickerAsync(ClickerAggregate clicker, Dictionary<string, TrackedLink?> linkCache, Tally tally, CancellationToken cancellationToken)
    {
        var personType = SalesforceIds.PersonObjectOf(clicker.RecipientId);
        var person = personType is null ? null : await mirror.GetAsync(personType, clicker.RecipientId, cancellationToken);
        var member = await FindMemberAsync(clicker.CampaignId, clicker.RecipientId, cancellationToken);
        if (personType is not null && (person is null || member is null))
        {
            // Not synced yet (a member added after the last sync): the next run tries again.
            tally.Waiting++;
            return;
        }

        var taskQueued = clicker.TaskQueued;
        if (personType is not null && clicker.HumanClicks.Any())
        {
            await QueuePersonFieldsAsync(personType, clicker.RecipientId, linkCache, tally, cancellationToken);
            await QueueMemberStatusAsync(clicker.CampaignId, member!, tally, cancellationToken);
            if (Options.CreateFollowUpTasks && !clicker.TaskQueued)
            {
                await QueueTaskAsync(clicker, personType, person!, linkCache, cancellationToken);
                tally.Queued++;
                taskQueued = true;
            }
        }
        else if (personType is not null && person!["Sfc_Email_Clicks__c"] is { } written && written != "0")
        {
            // Clicks counted earlier were reclassified as automated: the counters follow (the member status is never
            // taken back). A recipient who only ever had automated clicks costs no call.
            await QueuePersonFieldsAsync(personType, clicker.RecipientId, linkCache, tally, cancellationToken);
        }

        await RetryOnConflictAsync(async () =>
        {
            var (current, version) = await aggregates.GetClickerAsync(clicker.CampaignId, clicker.RecipientId, cancellationToken);
            if (current is not null)
            {
                // Clicks added meanwhile keep it pending.
                var done = current.Clicks.Count == clicker.Clicks.Count;
                await aggregates.PutClickerAsync(current with { TaskQueued = current.TaskQueued || taskQueued, Pending = !done }, version, cancellationToken);
            }
        }, cancellationToken);
    }

    private async Task QueuePersonFieldsAsync(string personType, string recipientId, Dictionary<string, TrackedLink?> linkCache, Tally tally, CancellationToken cancellationToken)
    {
        var human = (await aggregates.FindClickersAsync("recipient", recipientId, cancellationToken)).SelectMany(c => c.HumanClicks).ToList();
        var last = human.OrderBy(c => c.At).ThenBy(c => c.Seq).LastOrDefault();
        var lastLink = last is null ? null : await LinkAsync(last.LinkId, linkCache, cancellationToken);
        await outbox.EnqueueAsync(
        [
            new DesiredValue(personType, recipientId, "Sfc_Email_Clicks__c", human.Count, Source, "human clicks on tracked links"),
            new DesiredValue(personType, recipientId, "Sfc_Last_Click_Date__c", last?.At, Source, "last human click"),
            new DesiredValue(personType, recipientId, "Sfc_Last_Clicked_Link__c", lastLink?.Url, Source, "last human click"),
        ], cancellationToken);
        tally.Queued++;
    }

    private async Task QueueMemberStatusAsync(string campaignId, MirrorRecord member, Tally tally, CancellationToken cancellationToken)
    {
        var statuses = await mirror.FindAsync("CampaignMemberStatus", "CampaignId", campaignId, cancellationToken: cancellationToken);
        var clicked = statuses.FirstOrDefault(s => string.Equals(s["Label"], Options.ClickedStatus, StringComparison.OrdinalIgnoreCase));
        if (clicked is null)
        {
            var sortOrder = statuses.Select(s => int.TryParse(s["SortOrder"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) ? o : 0).DefaultIfEmpty(0).Max() + 1;
            await outbox.EnqueueRecordAsync(new DesiredRecord("CampaignMemberStatus", campaignId + ":" + Options.ClickedStatus, new Dictionary<string, object?>
            {
                ["CampaignId"] = campaignId,
                ["Label"] = Options.ClickedStatus,
                ["HasResponded"] = true,
                ["SortOrder"] = sortOrder,
            }, Source, "responded status for human clickers"), cancellationToken);
            tally.Queued++;
        }
        else if (!IsTrue(clicked["HasResponded"]))
        {
            await outbox.EnqueueAsync([new DesiredValue("CampaignMemberStatus", clicked.Id, "HasResponded", true, Source, "a click is a response")], cancellationToken);
            tally.Queued++;
        }

        // Never downgrade: a member who already responded (form, event, an earlier click) keeps their status.
        var current = statuses.FirstOrDefault(s => string.Equals(s["Label"], member["Status"], StringComparison.OrdinalIgnoreCase));
        var responded = IsTrue(member["HasResponded"]) || (current is not null && IsTrue(current["HasResponded"]));
        if (!responded)
        {
            await outbox.EnqueueAsync([new DesiredValue("CampaignMember", member.Id, "Status", Options.ClickedStatus, Source, "human click")], cancellationToken);
            tally.Queued++;
        }
    }

    private async Task QueueTaskAsync(ClickerAggregate clicker, string personType, MirrorRecord person, Dictionary<string, TrackedLink?> linkCache, CancellationToken cancellationToken)
    {
        var first = clicker.HumanClicks.OrderBy(c => c.At).First();
        var link = await LinkAsync(first.LinkId, linkCache, cancellationToken);
        var campaign = await mirror.GetAsync("Campaign", clicker.CampaignId, cancellationToken);
        var campaignName = campaign?["Name"] ?? clicker.CampaignId;
        var fields = new Dictionary<string, object?>
        {
            ["Subject"] = Truncate($"Clicked \"{link?.Label ?? first.LinkId}\" in campaign {campaignName}", 255),
            ["Description"] = $"{link?.Url} clicked {first.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC (tracked link in campaign {campaignName}). Follow up while it is fresh.",
            ["WhoId"] = clicker.RecipientId,
            ["ActivityDate"] = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddDays(Options.FollowUpDueDays)),
            ["Status"] = "Not Started",
            ["Priority"] = "Normal",
        };
        if (person["OwnerId"] is { } owner && owner.StartsWith("005", StringComparison.Ordinal))
        {
            // Queues cannot own tasks: a lead owned by a queue gets the task under the integration user.
            fields["OwnerId"] = owner;
        }

        if (personType == "Contact")
        {
            // Salesforce refuses a WhatId next to a lead WhoId.
            fields["WhatId"] = clicker.CampaignId;
        }

        await outbox.EnqueueRecordAsync(new DesiredRecord("Task", "sfc-click-" + clicker.CampaignId + "-" + clicker.RecipientId, fields, Source, "follow-up for a clicker", ExternalIdField: "Sfc_Key__c"), cancellationToken);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private async Task<TrackedLink?> LinkAsync(string linkId, Dictionary<string, TrackedLink?> cache, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(linkId, out var link))
        {
            cache[linkId] = link = await links.GetAsync(linkId, cancellationToken);
        }

        return link;
    }

    private async Task QueueCampaignAsync(string campaignId, Tally tally, CancellationToken cancellationToken)
    {
        var members = await mirror.FindAsync("CampaignMember", "CampaignId", campaignId, int.MaxValue, cancellationToken);
        foreach (var member in members)
        {
            var personId = member["LeadId"] ?? member["ContactId"];
            if (!SalesforceIds.IsWellFormed(personId) || SalesforceIds.PersonObjectOf(personId) is not { } type)
            {
                continue;
            }

            var token = tokens.Issue(personId);
            if (await aggregates.GetQueuedTokenAsync(personId, cancellationToken) != token)
            {
                await outbox.EnqueueAsync([new DesiredValue(type, personId, "Sfc_Tracking_Token__c", token, Source, "member of a tracked campaign")], cancellationToken);
                await aggregates.SetQueuedTokenAsync(personId, token, cancellationToken);
                tally.Queued++;
            }
        }

        var campaign = await mirror.GetAsync("Campaign", campaignId, cancellationToken);
        if (campaign is null)
        {
            return;
        }

        var unique = (await aggregates.FindClickersAsync("campaign", campaignId, cancellationToken)).Count(c => c.HumanClicks.Any());
        var rate = members.Count == 0 ? 0m : Math.Round(unique * 100m / members.Count, 2);
        var cost = Decimal(campaign["ActualCost"]);
        var won = Decimal(campaign["NumberOfWonOpportunities"]);
        decimal? costPerWon = cost is not null && won is > 0 ? Math.Round(cost.Value / won.Value, 2) : null;
        var desired = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Sfc_Unique_Clickers__c"] = unique,
            ["Sfc_Click_Rate__c"] = rate,
            ["Sfc_Cost_Per_Won__c"] = costPerWon,
        };
        await RetryOnConflictAsync(async () =>
        {
            var (aggregate, version) = await aggregates.GetCampaignAsync(campaignId, cancellationToken);
            var text = desired.ToDictionary(d => d.Key, d => FieldValues.ToText(d.Value), StringComparer.Ordinal);
            if (text.All(t => aggregate.LastQueued.TryGetValue(t.Key, out var last) && FieldValues.AreEqual(last, t.Value)))
            {
                return;
            }

            await outbox.EnqueueAsync(desired.Select(d => new DesiredValue("Campaign", campaignId, d.Key, d.Value, Source, "campaign click figures")), cancellationToken);
            await aggregates.PutCampaignAsync(aggregate with { LastQueued = text }, version, cancellationToken);
            tally.Queued++;
        }, cancellationToken);
    }

    private static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTrue(string? text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);

    private sealed class Tally
    {
        public long Read { get; set; }

        public long Human { get; set; }

        public long Flagged { get; set; }

        public long Anonymous { get; set; }

        public long Queued { get; set; }

        public long Waiting { get; set; }
    }
}
