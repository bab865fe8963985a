using System.Net;
using System.Net.Http.Json;
using SfCompanion.Admin;

namespace SfCompanion.IntegrationTests.Tracking;

/// <summary>Who may do what in the tracking API: marketers register and disable links, viewers only read, nobody without a key.</summary>
public sealed class TrackingApiRoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_marketer_key_registers_and_disables_links_a_viewer_key_only_reads_and_no_key_is_refused()
    {
        using var host = TrackingTestHost.Create();
        var marketer = await host.ClientAsync(SfcRoles.Marketer);
        var viewer = await host.ClientAsync(SfcRoles.Viewer);
        var anonymous = host.Anonymous;
        var request = new { campaignId = TrackingTestHost.CampaignId, label = "Tarifs", url = "https://www.exemple.fr/tarifs" };

        var registered = await marketer.PostAsJsonAsync("/api/tracking/links", request, Ct);
        var byViewer = await viewer.PostAsJsonAsync("/api/tracking/links", request, Ct);
        var byNobody = await anonymous.PostAsJsonAsync("/api/tracking/links", request, Ct);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byNobody.StatusCode);
        var link = (await registered.Content.ReadFromJsonAsync<SfCompanion.Tracking.TrackingApi.RegisteredLinkView>(Ct))!.Link;
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/tracking/links/{link.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/tracking/links?campaignId={TrackingTestHost.CampaignId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/tracking/links/{link.Id}/preview?recipientId={TrackingTestHost.LeadId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/tracking/links/{link.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/tracking/links/{link.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync($"/api/tracking/links/{link.Id}/preview?recipientId={TrackingTestHost.LeadId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await marketer.DeleteAsync($"/api/tracking/links/{link.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/r/{link.Id}", Ct)).StatusCode);
    }
}
