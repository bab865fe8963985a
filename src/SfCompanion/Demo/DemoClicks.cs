using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using SfCompanion.Jobs;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Tracking;

namespace SfCompanion.Demo;

/// <summary>
/// The click-tracking part of the demo, through the service's own HTTP API and redirect endpoint: registers two tracked
/// links on the campaign with the most members, clicks them as people and as security scanners, runs the aggregation
/// job (which requests a writeback run) and reads the results back from the emulated org.
/// </summary>
internal sealed class DemoClicks(string baseUrl, string adminKey, Mirror mirror, ISalesforceClient salesforce)
{
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const string ScannerAgent = "Mozilla/5.0 (compatible; LinkScanner/2.1; +https://scanner.example.net)";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var visitor = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        var (campaignId, recipients) = await PickCampaignAsync(cancellationToken);
        if (recipients.Count < 20)
        {
            Console.WriteLine("  No campaign with 20 members in this org; click tracking skipped.");
            return;
        }

        var clickedBefore = await CountClickedAsync(campaignId, cancellationToken);
        var whitePaper = await RegisterAsync(api, campaignId, "Livre blanc", "https://www.exemple.fr/livre-blanc", cancellationToken);
        var pricing = await RegisterAsync(api, campaignId, "Tarifs", "https://www.exemple.fr/tarifs", cancellationToken);
        Console.WriteLine($"  Links registered on campaign {campaignId} ({recipients.Count:N0} members):");
        Console.WriteLine($"    {whitePaper.Link.Templates.Lead}");
        Console.WriteLine($"    {pricing.Link.Templates.Lead}");

        var clicksAt = DateTimeOffset.UtcNow;
        await ClickAsync(api, visitor, recipients, whitePaper, pricing, cancellationToken);
        await AggregateAsync(api, clicksAt, cancellationToken);
        await PrintStatsAsync(api, campaignId, cancellationToken);
        await PrintSalesforceAsync(campaignId, clickedBefore, cancellationToken);
    }

    /// <summary>
    /// People 0-11 click like people; 12-15 are behind a scanner that opens every link, the hidden one included;
    /// 16-17 are fetched by a scanner announcing itself; 18-19 only get link-preview HEAD requests. Then someone
    /// forwards the email without the token.
    /// </summary>
    private async Task ClickAsync(HttpClient api, HttpClient visitor, List<string> recipients, TrackingApi.RegisteredLinkView whitePaper, TrackingApi.RegisteredLinkView pricing, CancellationToken cancellationToken)
    {
        var answered = 0;
        var sent = 0;
        for (var i = 0; i < 20; i++)
        {
            var (links, agent, method) = i switch
            {
                < 8 => (new[] { whitePaper.Link }, Browser, HttpMethod.Get),
                < 12 => (new[] { whitePaper.Link, pricing.Link }, Browser, HttpMethod.Get),
                < 16 => (new[] { whitePaper.Link, pricing.Link, whitePaper.Honeypot }, Browser, HttpMethod.Get),
                < 18 => (new[] { whitePaper.Link }, ScannerAgent, HttpMethod.Get),
                _ => (new[] { whitePaper.Link }, Browser, HttpMethod.Head),
            };
            foreach (var link in links)
            {
                sent++;
                answered += await ClickLinkAsync(api, visitor, link, recipients[i], agent, method, cancellationToken) ? 1 : 0;
            }
        }

        sent++;
        answered += await ClickForwardedAsync(visitor, whitePaper.Link.Id, cancellationToken) ? 1 : 0;
        Console.WriteLine($"  {sent} link requests (people, scanners, link previews, one forwarded email): {answered} redirected to the registered destination.");
    }

    /// <summary>One person's request to their tracked link; whether it was redirected to the link's destination.</summary>
    private static async Task<bool> ClickLinkAsync(HttpClient api, HttpClient visitor, TrackingApi.LinkView link, string person, string agent, HttpMethod method, CancellationToken cancellationToken)
    {
        var url = await PreviewAsync(api, link.Id, person, cancellationToken);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.UserAgent.ParseAdd(agent);
        using var response = await visitor.SendAsync(request, cancellationToken);
        return response.StatusCode == HttpStatusCode.Found && response.Headers.Location?.ToString().StartsWith(link.Destination, StringComparison.Ordinal) == true;
    }

    /// <summary>A forwarded email's link, without the token: still redirected, counted as anonymous.</summary>
    private async Task<bool> ClickForwardedAsync(HttpClient visitor, string linkId, CancellationToken cancellationToken)
    {
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/r/{linkId}");
        anonymous.Headers.UserAgent.ParseAdd(Browser);
        using var response = await visitor.SendAsync(anonymous, cancellationToken);
        return response.StatusCode == HttpStatusCode.Found;
    }

    /// <summary>Runs the aggregation job once the clicks have settled, then waits for the writeback run it requests.</summary>
    private static async Task AggregateAsync(HttpClient api, DateTimeOffset clicksAt, CancellationToken cancellationToken)
    {
        // Clicks are aggregated once they are older than Tracking:SettleSeconds (a scanner's later hits can still flag them).
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        var aggregation = await RunJobAsync(api, ClickAggregationJob.Name, cancellationToken);
        Console.WriteLine($"  Job {ClickAggregationJob.Name}: {aggregation.Status}, {aggregation.Stage}");
        var writeback = await WaitForRequestedWritebackAsync(api, clicksAt, cancellationToken);
        if (writeback is not null)
        {
            Console.WriteLine($"  Job writeback: {writeback.Status}, {writeback.Done:N0} records, {writeback.ApiCalls} API calls");
        }
    }

    private static async Task PrintStatsAsync(HttpClient api, string campaignId, CancellationToken cancellationToken)
    {
        var stats = await api.GetFromJsonAsync<CampaignStats>($"/api/tracking/campaigns/{campaignId}/stats", cancellationToken);
        if (stats is not null)
        {
            var flagged = string.Join(", ", stats.FlaggedByReason.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value} {f.Key}"));
            Console.WriteLine($"  Stats: {stats.TotalClicks} clicks, {stats.HumanClicks} human from {stats.UniqueHumanClickers} people, {stats.AnonymousClicks} anonymous; flagged: {(flagged.Length == 0 ? "none" : flagged)}; {stats.CallThese.Count} to call");
        }
    }

    /// <summary>What the writeback left in the org: clicked members, the campaign's figures, follow-up tasks.</summary>
    private async Task PrintSalesforceAsync(string campaignId, int clickedBefore, CancellationToken cancellationToken)
    {
        Console.WriteLine("  In Salesforce now:");
        var clicked = await CountClickedAsync(campaignId, cancellationToken);
        Console.WriteLine($"    {clicked} campaign members with status 'Clicked' ({clicked - clickedBefore:+0;-0;0} since the clicks above)");
        await foreach (var c in salesforce.QueryAsync($"SELECT Name, Sfc_Unique_Clickers__c, Sfc_Click_Rate__c, Sfc_Cost_Per_Won__c FROM Campaign WHERE Id = '{campaignId}'", cancellationToken: cancellationToken))
        {
            Console.WriteLine($"    Campaign '{c.GetString("Name")}': {c.GetDecimal("Sfc_Unique_Clickers__c")} unique clickers, click rate {c.GetDecimal("Sfc_Click_Rate__c")} %, cost per won opportunity {c.GetDecimal("Sfc_Cost_Per_Won__c")?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-"}");
        }

        var tasks = 0;
        await foreach (var t in salesforce.QueryAsync("SELECT Subject, OwnerId FROM Task WHERE Sfc_Key__c != null", cancellationToken: cancellationToken))
        {
            if (++tasks <= 2)
            {
                Console.WriteLine($"    Task for {t.GetString("OwnerId")}: {t.GetString("Subject")}");
            }
        }

        Console.WriteLine($"    {tasks} follow-up tasks in all");
        Console.WriteLine($"  Clickers to call (CSV): {baseUrl}/api/tracking/campaigns/{campaignId}/clickers.csv?callOnly=true");
    }

    private Task<int> CountClickedAsync(string campaignId, CancellationToken cancellationToken) =>
        salesforce.CountAsync($"SELECT COUNT() FROM CampaignMember WHERE CampaignId = '{campaignId}' AND Status = 'Clicked'", cancellationToken: cancellationToken);

    /// <summary>The campaign with the most lead/contact members in the mirror, and those members' lead or contact ids.</summary>
    private async Task<(string CampaignId, List<string> Recipients)> PickCampaignAsync(CancellationToken cancellationToken)
    {
        var byCampaign = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var member in mirror.ListAsync("CampaignMember", cancellationToken))
        {
            var person = member["LeadId"] ?? member["ContactId"];
            if (member["CampaignId"] is { } campaign && person is not null)
            {
                if (!byCampaign.TryGetValue(campaign, out var list))
                {
                    byCampaign[campaign] = list = [];
                }

                list.Add(person);
            }
        }

        var best = byCampaign.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        return best.Key is null ? ("", []) : (best.Key, best.Value);
    }

    private static async Task<TrackingApi.RegisteredLinkView> RegisterAsync(HttpClient api, string campaignId, string label, string url, CancellationToken cancellationToken)
    {
        var utm = new Dictionary<string, string> { ["utm_source"] = "salesforce", ["utm_medium"] = "email", ["utm_campaign"] = "demo" };
        using var response = await api.PostAsJsonAsync("/api/tracking/links", new TrackingApi.RegisterLinkRequest(campaignId, label, url, utm), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TrackingApi.RegisteredLinkView>(cancellationToken))!;
    }

    private static async Task<string> PreviewAsync(HttpClient api, string linkId, string recipientId, CancellationToken cancellationToken) =>
        (await api.GetFromJsonAsync<TrackingApi.PreviewView>($"/api/tracking/links/{linkId}/preview?recipientId={recipientId}", cancellationToken))!.Url;

    private static async Task<JobRun> RunJobAsync(HttpClient api, string job, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await api.PostAsync($"/api/jobs/{job}/run", null, cancellationToken);
            // 409: its schedule started it a moment ago; ask again once that run is over.
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 50)
            {
                await Task.Delay(200, cancellationToken);
                continue;
            }

            response.EnsureSuccessStatusCode();
            var accepted = (await response.Content.ReadFromJsonAsync<JobsApi.RunAccepted>(cancellationToken))!;
            return await WaitForRunAsync(api, accepted.RunId, cancellationToken);
        }
    }

    private static async Task<JobRun> WaitForRunAsync(HttpClient api, string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var run = (await api.GetFromJsonAsync<JobRun>($"/api/runs/{runId}", cancellationToken))!;
            if (JobRunStatus.IsTerminal(run.Status))
            {
                return run;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>
    /// The writeback run that took the clicks to Salesforce: the newest run queued since the clicks. Usually the one
    /// this aggregation requested; when the scheduled aggregation ran first (its minute fell between the clicks and
    /// this run), the one that run requested.
    /// </summary>
    private static async Task<JobRun?> WaitForRequestedWritebackAsync(HttpClient api, DateTimeOffset clicksAt, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var page = await api.GetFromJsonAsync<JobsApi.RunsPage>("/api/jobs/writeback/runs", cancellationToken);
            if (page?.Items.FirstOrDefault(r => (r.QueuedAt ?? r.StartedAt) >= clicksAt) is { } run)
            {
                return await WaitForRunAsync(api, run.Id, cancellationToken);
            }

            await Task.Delay(200, cancellationToken);
        }

        return null;
    }
}
