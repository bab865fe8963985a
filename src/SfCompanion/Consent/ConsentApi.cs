using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;

namespace SfCompanion.Consent;

public static class ConsentApi
{
    /// <summary>One consent event to import (e.g. consents collected on a paper form or another tool).</summary>
    public sealed record ImportedEvent(string? Subject, string? Channel, string? Action, DateTimeOffset? At, string? Purpose, string? Note);

    public sealed record ImportRequest(IReadOnlyList<ImportedEvent>? Events);

    public sealed record ImportResult(int Subjects, int Recorded);

    public sealed record ConfirmationLinkRequest(string? RecipientId, string? Channel, int? LifetimeDays);

    public sealed record ConfirmationLinkView(string Url, DateTimeOffset ExpiresAt);

    /// <summary>
    /// Consent administration under the <c>/api</c> group: subject export and erasure and event import (admin role),
    /// recipient links and double opt-in links (marketer role).
    /// </summary>
    public static RouteGroupBuilder MapConsentApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var admin = api.MapGroup("/consent").RequireRole(SfcRoles.Admin).WithTags("Consent");
        admin.MapGet("/subjects/{id}", ExportAsync).WithName("ExportConsentSubject")
            .WithSummary("Everything SfCompanion holds about a lead or contact (consent state, proof log, mirrored record, pending writeback), as JSON.");
        admin.MapDelete("/subjects/{id}", EraseAsync).WithName("EraseConsentSubject")
            .WithSummary("Erasure: deletes the subject's local data, keeps a suppression record (salted hashes) and queues a full opt-out for Salesforce.");
        admin.MapPost("/import", ImportAsync).WithName("ImportConsentEvents")
            .WithSummary("Records consent events collected elsewhere (source admin-import).");

        var marketer = api.MapGroup("/consent").RequireRole(SfcRoles.Marketer).WithTags("Consent");
        marketer.MapGet("/links/{recipientId}", GetLinks).WithName("GetConsentLinks")
            .WithSummary("A recipient's preference page and one-click unsubscribe URLs, with the List-Unsubscribe headers.");
        marketer.MapPost("/confirmation-links", CreateConfirmationLink).WithName("CreateConfirmationLink")
            .WithSummary("A signed, expiring double opt-in link for one channel: the page shows a confirm button; only its POST records consent.");
        return api;
    }

    private static async Task<Ok<ConsentExport>> ExportAsync(string id, ConsentService consent, CancellationToken cancellationToken) =>
        TypedResults.Ok(await consent.ExportAsync(id, cancellationToken));

    private static async Task<Ok<ErasureResult>> EraseAsync(string id, ConsentService consent, HttpContext context, CancellationToken cancellationToken)
    {
        var who = context.User.Identity?.Name ?? "admin";
        return TypedResults.Ok(await consent.EraseAsync(id, "erasure requested (" + who + ")", cancellationToken));
    }

    private static async Task<Results<Ok<ImportResult>, ValidationProblem>> ImportAsync(ImportRequest request, ConsentService consent, CancellationToken cancellationToken)
    {
        var events = request.Events ?? [];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var problems = ConsentEventImport.Problems(events[i]);
            if (problems.Count > 0)
            {
                errors[$"events[{i}]"] = [.. problems];
            }
        }

        if (events.Count == 0)
        {
            errors["events"] = ["events: at least one event is required, e.g. [{\"subject\":\"00Q…\",\"channel\":\"email\",\"action\":\"opt-out\",\"at\":\"2025-01-31T10:00:00Z\"}]."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)), title: "Invalid consent import");
        }

        return TypedResults.Ok(await ConsentEventImport.RecordAsync(consent, events, cancellationToken));
    }

    private static Results<Ok<RecipientConsentLinks>, ProblemHttpResult> GetLinks(string recipientId, ConsentLinks links, HttpContext context)
    {
        if (recipientId.Length is not (15 or 18) || !recipientId.All(char.IsAsciiLetterOrDigit))
        {
            return TypedResults.Problem($"recipientId = '{recipientId}': must be a lead or contact id (15 or 18 letters or digits).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid recipient id");
        }

        return TypedResults.Ok(links.For(recipientId, RequestBase(context)));
    }

    private static Results<Ok<ConfirmationLinkView>, ValidationProblem> CreateConfirmationLink(ConfirmationLinkRequest request, ConsentLinks links, HttpContext context)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.RecipientId is not { Length: 15 or 18 } id || !id.All(char.IsAsciiLetterOrDigit))
        {
            errors["recipientId"] = [$"recipientId = '{request.RecipientId}': must be a lead or contact id (15 or 18 letters or digits)."];
        }

        if (!ConsentChannels.IsKnown(request.Channel))
        {
            errors["channel"] = [$"channel = '{request.Channel}': must be one of {string.Join(", ", ConsentChannels.All)}."];
        }

        if (request.LifetimeDays is < 1 or > 90)
        {
            errors["lifetimeDays"] = [$"lifetimeDays = {request.LifetimeDays}: must be between 1 and 90."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)), title: "Invalid confirmation link request");
        }

        var (url, expires) = links.Confirmation(request.RecipientId!, request.Channel!, request.LifetimeDays is { } days ? TimeSpan.FromDays(days) : null, RequestBase(context));
        return TypedResults.Ok(new ConfirmationLinkView(url, expires));
    }

    private static string RequestBase(HttpContext context) => context.Request.Scheme + "://" + context.Request.Host + context.Request.PathBase;
}
