using System.Net.Http.Headers;
using System.Text.Json;
using SfCompanion.Rotation;
using SfCompanion.Salesforce;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Demo;

/// <summary>
/// The rotation part of the demo: a pool of four reps of the demo org (one on leave) takes the best suspects of the
/// scoring routine's flow by weighted round robin; owners change and follow-up tasks appear in the org.
/// </summary>
internal sealed class DemoRotation(string baseUrl, string adminKey, Mirror mirror, WritebackService writeback, ISalesforceClient salesforce)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DemoRotationSummary?> RunAsync(string routine, CancellationToken cancellationToken)
    {
        var users = new List<MirrorRecord>();
        await foreach (var user in mirror.ListAsync("User", cancellationToken))
        {
            // Reps, not the integration user SfCompanion signs in as.
            if (user["IsActive"] == "true" && users.Count < 4 && user["Name"]?.Contains("SfCompanion", StringComparison.Ordinal) != true)
            {
                users.Add(user);
            }
        }

        if (users.Count < 4)
        {
            Console.WriteLine("  Fewer than four active users in this org; rotation skipped.");
            return null;
        }

        var pool = new RotationPool
        {
            Name = "publishers-team",
            Routine = routine,
            Description = "The demo's inside-sales team; works every day so the demo assigns whatever the day.",
            Reps =
            [
                new PoolRep { UserId = users[0].Id, Weight = 2, DailyCap = 40 },
                new PoolRep { UserId = users[1].Id, Weight = 1, DailyCap = 20 },
                new PoolRep { UserId = users[2].Id, Weight = 1, DailyCap = 20 },
                new PoolRep { UserId = users[3].Id, Weight = 1, DailyCap = 20, OnLeave = true },
            ],
            WorkingDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            MaxPerRun = 60,
        };
        using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        await SendAsync<object>(api, HttpMethod.Put, "/api/rotation/pools/" + pool.Name, pool, cancellationToken);
        var run = await SendAsync<RotationRunResult>(api, HttpMethod.Post, $"/api/rotation/pools/{pool.Name}/run", new { }, cancellationToken);
        var written = await writeback.RunAsync(cancellationToken: cancellationToken);
        var tasks = await salesforce.CountAsync("SELECT COUNT() FROM Task WHERE Sfc_Key__c LIKE 'sfc-rot-%'", cancellationToken: cancellationToken);
        string Name(string id) => users.FirstOrDefault(u => u.Id == id)?["Name"] ?? id;
        var shares = string.Join(", ", run.PerRep.OrderByDescending(r => r.Value).Select(r => $"{Name(r.Key)} {r.Value}"));
        var skipped = string.Join(", ", run.SkippedReps.Select(s => $"{Name(s.UserId)}: {s.Reason}"));
        Console.WriteLine($"  Pool '{pool.Name}' (weights 2-1-1-1, one rep on leave) took the {run.Assigned} best suspects of '{routine}': {shares}.");
        Console.WriteLine($"  Skipped: {(skipped.Length > 0 ? skipped : "nobody")}");
        Console.WriteLine($"  Written back: {written.Succeeded:N0} records in {written.ApiCalls} API calls; Salesforce shows {tasks:N0} follow-up tasks for the new owners.");
        return new DemoRotationSummary(run.Assigned, shares, tasks);
    }

    private static async Task<T> SendAsync<T>(HttpClient api, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        using var response = await api.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!
            : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }
}

/// <summary>What the rotation step showed, for the demo's summary.</summary>
internal sealed record DemoRotationSummary(int Assigned, string Shares, int Tasks);
