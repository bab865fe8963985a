using System.Net.Http.Json;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.Spine;
using SfCompanion.Recipients;
using SfCompanion.Sync;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>Clicks in the log → aggregation → outbox → writeback into the emulated org, and again with nothing new.</summary>
public sealed class ClickWritebackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Scenario
    {
        public required SpineHarness H { get; init; }

        public required ClickAggregator Aggregator { get; init; }

        public required TrackedLink Article { get; init; }

        public required TrackedLink Pricing { get; init; }

        public required TrackedLink Honeypot { get; init; }

        public required string CampaignId { get; init; }

        public required string Rep { get; init; }

        public required Dictionary<string, string> People { get; init; }

        public required RecipientTokens Tokens { get; init; }

        public async Task ClickAsync(string person, TrackedLink link, double secondsFromNow, string ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/123.0")
        {
            var click = new ClickEvent
            {
                LinkId = link.Id, CampaignId = CampaignId, RecipientId = person.Length == 0 ? null : People[person], At = H.Time.GetUtcNow().AddSeconds(secondsFromNow),
                UserAgent = ua, Ip = "203.0.113.0/24", Honeypot = link.IsHoneypot,
            };
            await H.Store.AppendAsync(ClickEvent.Log, [JsonSerializer.Serialize(click)], Ct);
        }

        public async Task<(AggregationResult Aggregation, Writeback.WritebackResult Writeback)> RoundAsync()
        {
            H.Time.Advance(TimeSpan.FromMinutes(1));
            var aggregation = await Aggregator.RunAsync(cancellationToken: Ct);
            var writeback = await H.Writeback.RunAsync(cancellationToken: Ct);
            return (aggregation, writeback);
        }

        public IReadOnlyDictionary<string, object?> Org(string id) => H.Org.Data.Get(id)!;

        public IReadOnlyDictionary<string, object?> Member(string person) =>
            H.Org.Data.Query($"SELECT Id, Status, HasResponded FROM CampaignMember WHERE CampaignId = '{CampaignId}' AND (LeadId = '{People[person]}' OR ContactId = '{People[person]}')").Single();

        public IReadOnlyList<IReadOnlyDictionary<string, object?>> Tasks() =>
            H.Org.Data.Query("SELECT Id, WhoId, WhatId, OwnerId, Subject, Sfc_Key__c FROM Task WHERE Sfc_Key__c != null");
    }

    private static async Task<Scenario> StartAsync()
    {
        var h = await SpineHarness.StartAsync();
        var data = h.Org.Data;
        var since = DateTimeOffset.UtcNow.AddDays(-1);
        var rep = data.Insert("User", new Dictionary<string, object?> { ["Username"] = "claire@acme.fr", ["LastName"] = "Durand", ["FirstName"] = "Claire", ["Email"] = "claire@acme.fr", ["IsActive"] = true });
        var campaign = data.Insert("Campaign", new Dictionary<string, object?> { ["Name"] = "Livre blanc RGPD", ["ActualCost"] = 15000m, ["Type"] = "Email", ["IsActive"] = true });
        data.Insert("CampaignMemberStatus", new Dictionary<string, object?> { ["CampaignId"] = campaign, ["Label"] = "Sent", ["IsDefault"] = true, ["HasResponded"] = false, ["SortOrder"] = 1 });
        data.Insert("CampaignMemberStatus", new Dictionary<string, object?> { ["CampaignId"] = campaign, ["Label"] = "Responded", ["IsDefault"] = false, ["HasResponded"] = true, ["SortOrder"] = 2 });
        var account = data.Insert("Account", new Dictionary<string, object?> { ["Name"] = "Logiciels Durand", ["OwnerId"] = rep });
        var people = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "anne", "bot", "formfiller", "silent" })
        {
            people[name] = data.Insert("Lead", new Dictionary<string, object?> { ["LastName"] = name, ["FirstName"] = "Lead", ["Company"] = "Société " + name, ["Email"] = name + "@exemple.fr", ["OwnerId"] = rep });
        }

        people["paul"] = data.Insert("Contact", new Dictionary<string, object?> { ["LastName"] = "Martin", ["FirstName"] = "Paul", ["AccountId"] = account, ["Email"] = "paul@exemple.fr", ["OwnerId"] = rep });
        foreach (var (name, id) in people)
        {
            data.Insert("CampaignMember", new Dictionary<string, object?>
            {
                ["CampaignId"] = campaign, [id.StartsWith("003", StringComparison.Ordinal) ? "ContactId" : "LeadId"] = id,
                ["Status"] = name == "formfiller" ? "Responded" : "Sent", ["CreatedDate"] = since,
            });
        }

        for (var i = 0; i < 3; i++)
        {
            data.Insert("Opportunity", new Dictionary<string, object?> { ["Name"] = "Deal " + i, ["AccountId"] = account, ["CampaignId"] = campaign, ["StageName"] = "Closed Won", ["CloseDate"] = DateOnly.FromDateTime(DateTime.UtcNow), ["Amount"] = 10000m });
        }

        await h.Sync.SyncAllAsync(cancellationToken: Ct);
        var links = new TrackedLinks(h.Store, h.Time);
        var (article, honeypot) = await links.RegisterAsync(campaign, "Article RGPD", "https://www.exemple.fr/article", null, Ct);
        var (pricing, _) = await links.RegisterAsync(campaign, "Tarifs", "https://www.exemple.fr/tarifs", null, Ct);
        var tokens = new RecipientTokens(new Dictionary<string, byte[]> { ["k1"] = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray() }, "k1", h.Time);
        var aggregator = new ClickAggregator(h.Store, new ClickAggregateStore(h.Store), links, h.Mirror, h.Outbox, tokens, Options.Create(new TrackingOptions()), h.Time);
        return new Scenario { H = h, Aggregator = aggregator, Article = article, Pricing = pricing, Honeypot = honeypot, CampaignId = campaign, Rep = rep, People = people, Tokens = tokens };
    }

    [Fact]
    public async Task A_click_younger_than_the_settle_period_waits_and_the_run_says_when_it_settles()
    {
        var s = await StartAsync();
        await using var _ = s.H;
        var clickedAt = s.H.Time.GetUtcNow();
        await s.ClickAsync("anne", s.Article, 0);

        var early = await s.Aggregator.RunAsync(cancellationToken: Ct);
        s.H.Time.Advance(TimeSpan.FromSeconds(new TrackingOptions().SettleSeconds));
        var settled = await s.Aggregator.RunAsync(cancellationToken: Ct);

        Assert.Equal(0, early.ClicksRead);
        // The log keeps milliseconds.
        var expected = clickedAt + TimeSpan.FromSeconds(new TrackingOptions().SettleSeconds);
        Assert.InRange(early.NextSettlesAt!.Value, expected - TimeSpan.FromMilliseconds(1), expected);
        Assert.Equal(1, settled.ClicksRead);
        Assert.Null(settled.NextSettlesAt);
    }

    [Fact]
    public async Task Human_clicks_reach_salesforce_scanners_do_not_and_a_second_round_changes_nothing()
    {
        var s = await StartAsync();
        await using var _ = s.H;

        await s.ClickAsync("anne", s.Article, 0);
        await s.ClickAsync("anne", s.Pricing, 30);
        await s.ClickAsync("paul", s.Article, 5);
        await s.ClickAsync("formfiller", s.Article, 5);
        // A security scanner: every link including the hidden one, within a second.
        await s.ClickAsync("bot", s.Article, 1);
        await s.ClickAsync("bot", s.Pricing, 1.2);
        await s.ClickAsync("bot", s.Honeypot, 1.4);
        await s.ClickAsync("", s.Article, 2);

        var (aggregation, writeback) = await s.RoundAsync();

        Assert.Equal(8, aggregation.ClicksRead);
        Assert.Equal(1, aggregation.AnonymousClicks);
        Assert.Null(writeback.StoppedBecause);
        Assert.Equal(0, await s.H.Outbox.CountDeadAsync(Ct));
        Assert.Equal("Clicked", s.Member("anne")["Status"]);
        Assert.Equal(true, s.Member("anne")["HasResponded"]);
        Assert.Equal("Clicked", s.Member("paul")["Status"]);
        Assert.Equal("Responded", s.Member("formfiller")["Status"]);
        Assert.Equal("Sent", s.Member("bot")["Status"]);
        Assert.Equal("Sent", s.Member("silent")["Status"]);
        var clicked = s.H.Org.Data.Query($"SELECT HasResponded FROM CampaignMemberStatus WHERE CampaignId = '{s.CampaignId}' AND Label = 'Clicked'");
        Assert.Equal(true, Assert.Single(clicked)["HasResponded"]);

        var anne = s.Org(s.People["anne"]);
        Assert.Equal(2m, Convert.ToDecimal(anne["Sfc_Email_Clicks__c"], CultureInfo.InvariantCulture));
        Assert.Equal("https://www.exemple.fr/tarifs", anne["Sfc_Last_Clicked_Link__c"]);
        Assert.NotNull(anne["Sfc_Last_Click_Date__c"]);
        Assert.Null(s.Org(s.People["bot"])["Sfc_Email_Clicks__c"]);
        Assert.Equal(s.Tokens.Issue(s.People["silent"]), s.Org(s.People["silent"])["Sfc_Tracking_Token__c"]);
        Assert.Equal(s.Tokens.Issue(s.People["paul"]), s.Org(s.People["paul"])["Sfc_Tracking_Token__c"]);

        var tasks = s.Tasks();
        Assert.Equal(3, tasks.Count);
        var anneTask = tasks.Single(t => (string?)t["WhoId"] == s.People["anne"]);
        Assert.Equal(s.Rep, anneTask["OwnerId"]);
        Assert.Contains("Article RGPD", (string)anneTask["Subject"]!, StringComparison.Ordinal);
        Assert.Contains("Livre blanc RGPD", (string)anneTask["Subject"]!, StringComparison.Ordinal);
        Assert.Equal(s.CampaignId, tasks.Single(t => (string?)t["WhoId"] == s.People["paul"])["WhatId"]);

        var campaign = s.Org(s.CampaignId);
        Assert.Equal(3m, Convert.ToDecimal(campaign["Sfc_Unique_Clickers__c"], CultureInfo.InvariantCulture));
        Assert.Equal(60m, Convert.ToDecimal(campaign["Sfc_Click_Rate__c"], CultureInfo.InvariantCulture));
        Assert.Equal(5000m, Convert.ToDecimal(campaign["Sfc_Cost_Per_Won__c"], CultureInfo.InvariantCulture));

        // Nothing new: no value queued, no call made.
        var (_, again) = await s.RoundAsync();
        Assert.Equal(0, again.ApiCalls);

        // After a sync (statuses now responded in the mirror) and a later click: the counter moves, no second task.
        await s.H.Sync.SyncAllAsync(cancellationToken: Ct);
        await s.ClickAsync("anne", s.Article, 0);
        var (third, _) = await s.RoundAsync();
        Assert.Equal(1, third.HumanClicks);
        Assert.Equal(3m, Convert.ToDecimal(s.Org(s.People["anne"])["Sfc_Email_Clicks__c"], CultureInfo.InvariantCulture));
        Assert.Equal("https://www.exemple.fr/article", s.Org(s.People["anne"])["Sfc_Last_Clicked_Link__c"]);
        Assert.Equal(3, s.Tasks().Count);
        Assert.Equal("Clicked", s.Member("anne")["Status"]);
    }

    [Fact]
    public async Task Stats_list_the_clickers_to_call_and_flagged_clicks_by_reason()
    {
        var s = await StartAsync();
        await using var _ = s.H;
        await s.ClickAsync("anne", s.Article, 0);
        await s.ClickAsync("formfiller", s.Article, 5);
        await s.ClickAsync("bot", s.Article, 1);
        await s.ClickAsync("bot", s.Honeypot, 1.4);
        await s.ClickAsync("", s.Pricing, 2, ua: "python-requests/2.31");
        await s.RoundAsync();
        await s.H.Sync.SyncAllAsync(cancellationToken: Ct);

        var stats = new TrackingStats(new ClickAggregateStore(s.H.Store), new TrackedLinks(s.H.Store, s.H.Time), s.H.Mirror, Options.Create(new TrackingOptions()));
        var campaign = (await stats.GetCampaignAsync(s.CampaignId, cancellationToken: Ct))!;

        Assert.Equal(5, campaign.Members);
        Assert.Equal(5, campaign.TotalClicks);
        Assert.Equal(2, campaign.UniqueHumanClickers);
        Assert.Equal(1, campaign.FlaggedByReason[ClickReasons.Honeypot]);
        Assert.Equal(1, campaign.FlaggedByReason[ClickReasons.HoneypotWindow]);
        Assert.Equal(1, campaign.FlaggedByReason[ClickReasons.UserAgent]);
        Assert.Equal(1, campaign.AnonymousClicks);
        var call = Assert.Single(campaign.CallThese);
        Assert.Equal(s.People["anne"], call.RecipientId);
        Assert.Equal("Clicked", call.MemberStatus);
        Assert.Contains(campaign.Clickers, c => c.RecipientId == s.People["formfiller"] && c.RespondedOtherwise);

        var pricing = (await stats.GetCampaignAsync(s.CampaignId, s.Pricing.Id, Ct))!;
        Assert.Equal(1, Assert.Single(pricing.Links).TotalClicks);
        Assert.Empty(pricing.Clickers);
    }
}

/// <summary>The aggregation job as scheduled, in the running service: a click younger than the settle period is waited for, not left to the next run.</summary>
public sealed class ClickAggregationJobTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_run_started_right_after_a_click_waits_for_it_to_settle_and_counts_it()
    {
        using var host = TrackingTestHost.Create().WithRole("all").With("Tracking:SettleSeconds", "2");
        var link = (await host.RegisterAsync("https://www.exemple.fr/", Ct)).Link;
        using var visitor = host.ClientWithKey(null);
        visitor.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
        Assert.Equal(System.Net.HttpStatusCode.Found, (await visitor.GetAsync($"/r/{link.Id}", Ct)).StatusCode);

        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var accepted = await (await marketer.PostAsync($"/api/jobs/{ClickAggregationJob.Name}/run", null, Ct)).Content.ReadFromJsonAsync<SfCompanion.Jobs.JobsApi.RunAccepted>(Ct);
        SfCompanion.Jobs.JobRun run;
        do
        {
            await Task.Delay(100, Ct);
            run = (await marketer.GetFromJsonAsync<SfCompanion.Jobs.JobRun>($"/api/runs/{accepted!.RunId}", Ct))!;
        }
        while (!SfCompanion.Jobs.JobRunStatus.IsTerminal(run.Status));

        Assert.Equal(SfCompanion.Jobs.JobRunStatus.Succeeded, run.Status);
        var stats = await marketer.GetFromJsonAsync<CampaignStats>($"/api/tracking/campaigns/{TrackingTestHost.CampaignId}/stats", Ct);
        Assert.Equal(1, stats!.TotalClicks);
        Assert.Equal(1, stats.AnonymousClicks);
    }
}
