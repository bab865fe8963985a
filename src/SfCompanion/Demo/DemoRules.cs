using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using SfCompanion.Rules;
using SfCompanion.Salesforce;
using SfCompanion.Writeback;

namespace SfCompanion.Demo;

/// <summary>
/// The VIP part of the demo, through the service's own rules API: roll-ups as facts, a draft tuned by watching how
/// many contacts match at each step (the what-if), then saved, run, and written back to the emulated org.
/// </summary>
internal sealed class DemoRules(string baseUrl, string adminKey, WritebackService writeback, ISalesforceClient salesforce)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly RollupDefinition Won = new()
    {
        Name = "Won", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "SUM", Field = "Amount", Filter = "IsWon",
        Description = "Won amount, all time.",
    };

    private static readonly RollupDefinition[] Facts =
    [
        Won,
        new() { Name = "Client_Since", Object = "Account", ChildObject = "Opportunity", Relationship = "AccountId", Function = "MIN", Field = "CloseDate", Filter = "IsWon" },
        new()
        {
            Name = "Last_Touch", Object = "Contact", ChildObject = "Task", Relationship = "WhoId", Function = "MAX", Field = "ActivityDate",
            Filter = "ISPICKVAL(TaskSubtype, 'Call') || ISPICKVAL(TaskSubtype, 'Email')",
        },
    ];

    private static readonly CriterionDefinition Client = new() { Name = "client", Formula = "Account.Won > 0" };
    private static readonly CriterionDefinition NotPartner = new() { Name = "not-partner", Formula = "NOT(CONTAINS(TEXT(Account.Type), 'Partner'))" };
    private static readonly CriterionDefinition LoyalQuiet = new()
    {
        Name = "loyal-quiet",
        Formula = "Account.Client_Since <= ADDMONTHS(TODAY(), -24) && (ISBLANK(Last_Touch) || Last_Touch < ADDMONTHS(TODAY(), -6))",
    };

    public async Task<DemoRulesSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        foreach (var fact in Facts)
        {
            await SendAsync(api, HttpMethod.Put, "/api/rollups/" + fact.Name, fact, cancellationToken);
        }

        var recentWins = Won with { Filter = "IsWon && CloseDate >= ADDMONTHS(TODAY(), -24)" };
        var draft = new RuleDefinition { Name = "vip", Object = "Contact", Criteria = [Client] };
        var steps = new (string Label, RulePreviewRequest Request)[]
        {
            ("contacts of accounts that ever won", new() { Draft = draft }),
            ("drop partners", new() { Draft = draft with { Criteria = [Client, NotPartner] } }),
            ("only wins of the last 2 years", new() { Draft = draft with { Criteria = [Client, NotPartner] }, Rollups = [recentWins] }),
            ("add 2-year clients not contacted for 6 months", new()
            {
                Draft = draft with { Criteria = [Client, NotPartner, LoyalQuiet], Combine = "(client || loyal_quiet) && not_partner" },
                Rollups = [recentWins],
                BreakdownBy = "TEXT(Account.Type)",
            }),
        };

        RulePreview? last = null;
        var counts = new List<int>();
        foreach (var (label, request) in steps)
        {
            last = await SendAsync<RulePreview>(api, HttpMethod.Post, "/api/rules/preview", request, cancellationToken);
            counts.Add(last.Matches);
            Console.WriteLine($"  What if {label,-46} → {last.Matches,6:N0} of {last.Records:N0} contacts  ({last.Milliseconds,5:0} ms)");
        }

        Console.WriteLine($"  By account type: {string.Join(", ", last!.Breakdown.Select(b => $"{b.Value ?? "(blank)"} {b.Count:N0}"))}");
        if (last.Samples.Count > 0 && last.Samples[0] is var sample)
        {
            Console.WriteLine($"  For example {sample.Name} ({sample.Id}): {sample.Reasons}");
        }

        await SendAsync(api, HttpMethod.Put, "/api/rollups/Won", recentWins, cancellationToken);
        var rule = steps[^1].Request.Draft! with
        {
            Targets = RulesWrittenFields.VipTargets,
        };
        await SendAsync(api, HttpMethod.Put, "/api/rules/vip", rule, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var run = await SendAsync<RuleRunResult>(api, HttpMethod.Post, "/api/rules/vip/run", new { }, cancellationToken);
        var runSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var written = await writeback.RunAsync(cancellationToken: cancellationToken);
        var flagged = await salesforce.CountAsync("SELECT COUNT() FROM Contact WHERE Sfc_Vip__c = true", cancellationToken: cancellationToken);
        Console.WriteLine($"  Rule 'vip' saved and run in {runSeconds:0.0} s: {run.Matched:N0} match, {run.ValuesQueued:N0} values queued, next review {run.NextReview?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        Console.WriteLine($"  Written back: {written.Succeeded:N0} contacts updated in {written.ApiCalls} API calls; Salesforce now shows {flagged:N0} VIP contacts (Sfc_Vip__c, with reasons, since and review dates).");
        var again = await SendAsync<RuleRunResult>(api, HttpMethod.Post, "/api/rules/vip/run", new { }, cancellationToken);
        Console.WriteLine($"  Same rule again: {again.ValuesQueued:N0} values to write (nothing changed).");
        return new DemoRulesSummary(counts, run.Matched, flagged);
    }

    private static async Task SendAsync(HttpClient api, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static async Task<T> SendAsync<T>(HttpClient api, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) }, cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}

/// <summary>What the VIP step showed, for the demo's summary.</summary>
internal sealed record DemoRulesSummary(IReadOnlyList<int> Steps, int Matched, int Flagged);
