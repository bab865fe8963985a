using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SfCompanion.Soak;

/// <summary>The service's admin API, as an operator or a marketer uses it (X-Api-Key with the bootstrap admin key).</summary>
internal sealed class ServiceApi(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>Registers a tracked link; returns its id and the destination the redirect must answer.</summary>
    public async Task<(string Id, string Destination)> RegisterLinkAsync(string campaignId, string label, string url, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/tracking/links", new { campaignId, label, url }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var link = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("link");
        return (link.GetProperty("id").GetString()!, link.GetProperty("destination").GetString()!);
    }

    /// <summary>The signed recipient token, read from the link as that recipient receives it.</summary>
    public async Task<string> RecipientTokenAsync(string linkId, string recipientId, CancellationToken cancellationToken)
    {
        var preview = await http.GetFromJsonAsync<JsonElement>($"/api/tracking/links/{linkId}/preview?recipientId={recipientId}", cancellationToken);
        var url = new Uri(preview.GetProperty("url").GetString()!);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        return query["t"] ?? throw new InvalidOperationException($"The preview of link {linkId} for {recipientId} has no token: {url}");
    }

    /// <summary>Sets a job's schedule through the jobs API (schedules live in the store; the worker applies them without restart).</summary>
    public async Task SetScheduleAsync(string job, string cron, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/api/jobs/{job}/schedule", new { cron, timeZone = "UTC" }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /api/jobs/{job}/schedule answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>"Run now"; a run already queued or running (409) is as good.</summary>
    public async Task RunJobAsync(string job, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri($"/api/jobs/{job}/run", UriKind.Relative), null, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"POST /api/jobs/{job}/run answered {(int)response.StatusCode}");
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet, or too busy starting to answer within the timeout.
            return false;
        }
    }
}
