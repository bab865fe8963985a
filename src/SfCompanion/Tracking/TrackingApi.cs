using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;
using SfCompanion.Recipients;
using SfCompanion.Salesforce;

namespace SfCompanion.Tracking;

public static class TrackingApi
{
    public sealed record RegisterLinkRequest(string? CampaignId, string? Label, string? Url, Dictionary<string, string>? Utm);

    /// <summary>What to paste into a Salesforce email template: one URL per recipient type (the merge field fills in the token).</summary>
    public sealed record UrlTemplates(string Lead, string Contact);

    public sealed record LinkView(
        string Id, string CampaignId, string Label, string Url, string Destination, IReadOnlyDictionary<string, string> Utm, bool IsHoneypot, bool Disabled,
        DateTimeOffset CreatedAt, UrlTemplates Templates);

    /// <summary>A registered link, plus the campaign's hidden honeypot link to paste once, invisibly, in the same email.</summary>
    public sealed record RegisteredLinkView(LinkView Link, LinkView Honeypot, UrlTemplates HoneypotHtml);

    public sealed record PreviewView(string LinkId, string RecipientId, string Url, string Destination);

    public const string LeadMergeField = "{!Lead.Sfc_Tracking_Token__c}";
    public const string ContactMergeField = "{!Contact.Sfc_Tracking_Token__c}";

    public static RouteGroupBuilder MapTrackingApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var tracking = api.MapGroup("/tracking").WithTags("Tracking");
        var marketer = tracking.MapGroup("").RequireRole(SfcRoles.Marketer);
        marketer.MapPost("/links", RegisterAsync).WithName("RegisterTrackedLink")
            .WithSummary("Registers a tracked link for a campaign; returns the URL templates to paste into the Salesforce email template.");
        marketer.MapDelete("/links/{id}", DisableAsync).WithName("DisableTrackedLink").WithSummary("Stops a link from redirecting; its clicks stay.");
        marketer.MapGet("/links/{id}/preview", PreviewAsync).WithName("PreviewTrackedLink").WithSummary("The link as one lead or contact receives it.");
        tracking.MapGet("/links", ListAsync).WithName("ListTrackedLinks").WithSummary("Links of a campaign (campaignId) or all links.");
        tracking.MapGet("/links/{id}", GetAsync).WithName("GetTrackedLink").WithSummary("One link with its URL templates.");
        tracking.MapGet("/campaigns/{campaignId}/stats", StatsAsync).WithName("GetCampaignClickStats")
            .WithSummary("Clicks, unique human clickers, flagged clicks by reason, clickers and those who have not responded otherwise (optionally for one link).");
        tracking.MapGet("/campaigns/{campaignId}/clickers.csv", ClickersCsvAsync).WithName("ExportCampaignClickers")
            .WithSummary("Human clickers as CSV; callOnly=true keeps those who have not responded otherwise.");
        return api;
    }

    internal static LinkView View(TrackedLink link, TrackingOptions options) =>
        new(link.Id, link.CampaignId, link.Label, link.Url, link.Destination, link.Utm, link.IsHoneypot, link.Disabled, link.CreatedAt, Templates(link.Id, options));

    internal static string LinkUrl(string linkId, string token, TrackingOptions options) =>
        options.PublicBaseUrl.TrimEnd('/') + "/r/" + linkId + "?t=" + token;

    private static UrlTemplates Templates(string linkId, TrackingOptions options) =>
        new(LinkUrl(linkId, LeadMergeField, options), LinkUrl(linkId, ContactMergeField, options));

    internal static string HiddenAnchor(string url) =>
        $"<a href=\"{url}\" style=\"display:none\" aria-hidden=\"true\" tabindex=\"-1\">&#8203;</a>";

    private static async Task<Results<Created<RegisteredLinkView>, ValidationProblem>> RegisterAsync(
        RegisterLinkRequest request, TrackedLinks links, IOptions<TrackingOptions> options, CancellationToken cancellationToken)
    {
        try
        {
            var (link, honeypot) = await links.RegisterAsync(request.CampaignId, request.Label, request.Url, request.Utm, cancellationToken);
            var hp = Templates(honeypot.Id, options.Value);
            return TypedResults.Created($"/api/tracking/links/{link.Id}",
                new RegisteredLinkView(View(link, options.Value), View(honeypot, options.Value), new UrlTemplates(HiddenAnchor(hp.Lead), HiddenAnchor(hp.Contact))));
        }
        catch (LinkValidationException ex)
        {
            return TypedResults.ValidationProblem(ex.Errors, detail: ex.Message, title: "Invalid tracked link");
        }
    }

    private static async Task<Results<Ok<LinkView>, ProblemHttpResult>> GetAsync(string id, TrackedLinks links, IOptions<TrackingOptions> options, CancellationToken cancellationToken) =>
        TrackedLinks.IsWellFormedId(id) && await links.GetAsync(id, cancellationToken) is { } link
            ? TypedResults.Ok(View(link, options.Value))
            : UnknownLink(id);

    private static ProblemHttpResult UnknownLink(string id) =>
        TypedResults.Problem($"No tracked link '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown link");

    private static async Task<Ok<IReadOnlyList<LinkView>>> ListAsync(string? campaignId, TrackedLinks links, IOptions<TrackingOptions> options, CancellationToken cancellationToken)
    {
        var found = new List<TrackedLink>();
        if (campaignId is not null)
        {
            found.AddRange(await links.ListAsync(campaignId, cancellationToken));
        }
        else
        {
            await foreach (var link in links.ListAllAsync(cancellationToken))
            {
                found.Add(link);
            }
        }

        IReadOnlyList<LinkView> views = found.Select(l => View(l, options.Value)).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(string id, TrackedLinks links, CancellationToken cancellationToken) =>
        TrackedLinks.IsWellFormedId(id) && await links.DisableAsync(id, cancellationToken) ? TypedResults.NoContent() : UnknownLink(id);

    private static async Task<Results<Ok<PreviewView>, ProblemHttpResult>> PreviewAsync(
        string id, string? recipientId, TrackedLinks links, RecipientTokens tokens, IOptions<TrackingOptions> options, CancellationToken cancellationToken)
    {
        if (!TrackedLinks.IsWellFormedId(id) || await links.GetAsync(id, cancellationToken) is not { } link)
        {
            return UnknownLink(id);
        }

        if (!SalesforceIds.IsWellFormed(recipientId) || SalesforceIds.PersonObjectOf(recipientId) is null)
        {
            return TypedResults.Problem($"recipientId = '{recipientId}': must be a Lead (00Q…) or Contact (003…) id.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid recipient");
        }

        return TypedResults.Ok(new PreviewView(link.Id, recipientId, LinkUrl(link.Id, tokens.Issue(recipientId), options.Value), link.Destination));
    }

    private static async Task<Results<Ok<CampaignStats>, ProblemHttpResult>> StatsAsync(string campaignId, string? linkId, TrackingStats stats, CancellationToken cancellationToken) =>
        await stats.GetCampaignAsync(campaignId, linkId, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem($"No tracked link for campaign '{campaignId}'{(linkId is null ? "" : $" and link '{linkId}'")}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign or link");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ClickersCsvAsync(
        string campaignId, string? linkId, bool? callOnly, TrackingStats stats, CancellationToken cancellationToken) =>
        await stats.GetCampaignAsync(campaignId, linkId, cancellationToken) is { } found
            ? TypedResults.File(ClickersCsv.Write(found, callOnly == true), ClickersCsv.ContentType, ClickersCsv.FileName(campaignId))
            : TypedResults.Problem($"No tracked link for campaign '{campaignId}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown campaign or link");
}
