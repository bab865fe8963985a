using System.Net.Http.Headers;
using System.Text.Json;
using SfCompanion.Rules;
using SfCompanion.Salesforce;
using SfCompanion.Scoring;
using SfCompanion.Writeback;

namespace SfCompanion.Demo;

/// <summary>
/// The scoring part of the demo, through the scoring API: a software-publisher routine on leads (market, weighted
/// criteria, the clicks just tracked as a decaying signal), its bands in a preview, then saved, run and written back,
/// and the suspect flow a rotation would hand to reps.
/// </summary>
internal sealed class DemoScoring(string baseUrl, string adminKey, WritebackService writeback, ISalesforceClient salesforce)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RoutineDefinition Routine { get; } = new()
    {
        Name = "software-publishers",
        Object = "Lead",
        Description = "Software publishers and integrators (Technology) worth a rep's call.",
        Mandatory = [new CriterionDefinition { Name = "technology", Formula = "ISPICKVAL(Industry, 'Technology')" }],
        Weighted =
        [
            new() { Name = "size", Formula = "NumberOfEmployees >= 50", Weight = 3 },
            new() { Name = "revenue", Formula = "AnnualRevenue / 50000000", Weight = 2 },
            new() { Name = "inbound", Formula = "ISPICKVAL(LeadSource, 'Web') || ISPICKVAL(LeadSource, 'Phone Inquiry')", Weight = 2 },
        ],
        Signals = [new() { Name = "clicked", Kind = "click", Weight = 2, HalfLifeDays = 30 }],
    };

    public async Task<DemoScoringSummary> RunAsync(CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var preview = await SendAsync<RoutinePreview>(api, HttpMethod.Post, "/api/scoring/routines/preview", new RoutinePreviewRequest { Draft = Routine, Sample = 200 }, cancellationToken);
        Console.WriteLine($"  Preview: {preview.InMarket:N0} of {preview.Records:N0} leads in the market; bands {Bands(preview.Bands)}  ({preview.Milliseconds:0} ms)");
        await SendAsync<object>(api, HttpMethod.Put, "/api/scoring/routines/" + Routine.Name, Routine, cancellationToken);
        var run = await SendAsync<RoutineRunResult>(api, HttpMethod.Post, $"/api/scoring/routines/{Routine.Name}/run", new { }, cancellationToken);
        var written = await writeback.RunAsync(cancellationToken: cancellationToken);
        var scored = await salesforce.CountAsync("SELECT COUNT() FROM Lead WHERE Sfc_Score__c != null", cancellationToken: cancellationToken);
        Console.WriteLine($"  Run in {run.Seconds:0.0} s: tags {string.Join(", ", run.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value:N0}"))}; {run.Transitions:N0} transitions logged; {run.ValuesQueued:N0} values queued");
        Console.WriteLine($"  Written back: {written.Succeeded:N0} leads in {written.ApiCalls} API calls; Salesforce now shows {scored:N0} scored leads (Sfc_Score__c, band, reasons, tag, match date).");
        var flow = await SendAsync<List<FlowEntry>>(api, HttpMethod.Get, $"/api/scoring/routines/{Routine.Name}/flow?limit=1", null, cancellationToken);
        Console.WriteLine($"  Flow (GET /api/scoring/routines/{Routine.Name}/flow): {run.InFlow:N0} suspects matched since a rep last saw them; best first{(flow.Count > 0 ? $" {flow[0].Id}, score {flow[0].Score}" : "")}:");
        foreach (var sample in preview.Samples.Where(s => s.Tag == ScoringDefaults.Suspect).Take(3))
        {
            Console.WriteLine($"    {sample.Id}  score {sample.Score,3} ({sample.Band}, {sample.Tag}): {sample.Reasons}");
        }

        return new DemoScoringSummary(run.InMarket, run.Bands, run.InFlow, scored);
    }

    private static string Bands(IEnumerable<BandCount> bands) => string.Join(", ", bands.Select(b => $"{b.Band} {b.Count:N0}"));

    private static async Task<T> SendAsync<T>(HttpClient api, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        using var response = await api.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    public static string Describe(DemoScoringSummary summary) =>
        $"{summary.InMarket:N0} leads in the market ({Bands(summary.Bands)}), {summary.InFlow:N0} suspects in the flow, {summary.Scored:N0} scored in Salesforce";
}

/// <summary>What the scoring step showed, for the demo's summary.</summary>
internal sealed record DemoScoringSummary(int InMarket, IReadOnlyList<BandCount> Bands, int InFlow, int Scored);
