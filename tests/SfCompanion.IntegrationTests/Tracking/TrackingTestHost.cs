using System.Net.Http.Json;
using SfCompanion.Admin;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.Tracking;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>The tracking tests' host (links under <c>https://t.example.fr</c>) and the campaign and lead they click for.</summary>
public static class TrackingTestHost
{
    public const string CampaignId = "701000000000001AAA";
    public const string LeadId = "00Q000000000001AAA";

    public static SfcTestHost Create() => new SfcTestHost().With("Tracking:PublicBaseUrl", "https://t.example.fr");

    extension(SfcTestHost host)
    {
        /// <summary>Registers a link of <see cref="CampaignId"/> to <paramref name="url"/> as a marketer.</summary>
        public async Task<TrackingApi.RegisteredLinkView> RegisterAsync(string url, CancellationToken cancellationToken, string label = "Livre blanc")
        {
            var marketer = await host.ClientAsync(SfcRoles.Marketer);
            var response = await marketer.PostAsJsonAsync("/api/tracking/links", new { campaignId = CampaignId, label, url }, cancellationToken);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<TrackingApi.RegisteredLinkView>(cancellationToken))!;
        }
    }
}
