using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using SfCompanion.Admin;
using SfCompanion.Rules;
using SfCompanion.Scoring;
using SfCompanion.WebConsole.Components.Pages.Scoring;
using SfCompanion.WebConsole.Rules;

namespace SfCompanion.WebConsole.Scoring;

/// <summary>
/// <c>/console/api/scoring/preview</c>: the routine editor's live what-if while its JSON is typed (marketer). Takes the
/// editor's text (and the routine's name, for comparing with its saved version), answers the market size, the problems
/// (the JSON's path and position, or a formula's line and column) and the preview fragment as the page renders it.
/// </summary>
public static class ScoringConsoleApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What the editor posts: its JSON text, and the routine's name when it is not new.</summary>
    public sealed record LiveDraft(string? Name, string? Routine);

    public sealed record LivePreview(int InMarket, string InMarketText, int? SavedInMarket, IReadOnlyList<RulesApi.ProblemView> Problems, string Html);

    public static IEndpointRouteBuilder MapScoringConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(ConsoleAuth.BasePath + "/api/scoring/preview", PreviewAsync)
            .RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Marketer))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> PreviewAsync(HttpContext context, IAntiforgery antiforgery, ScoringService scoring, ConsoleText text)
    {
        if (await ConsoleLiveRequests.RefuseWithoutAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        LiveDraft? draft;
        try
        {
            draft = await JsonSerializer.DeserializeAsync<LiveDraft>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "Invalid draft", detail: $"The body must be {{ \"name\": \"…\", \"routine\": \"<the routine as JSON text>\" }} ({ex.Message}).", statusCode: StatusCodes.Status400BadRequest);
        }

        var (routine, error) = RoutineJson.Read(draft?.Routine);
        if (routine is null)
        {
            return Invalid([new RulesApi.ProblemView(draft?.Name ?? "", "json", error ?? "The routine is empty.", null, null)]);
        }

        if (!string.IsNullOrWhiteSpace(draft?.Name))
        {
            routine = routine with { Name = draft.Name.Trim() };
        }

        try
        {
            var preview = await scoring.PreviewAsync(new RoutinePreviewRequest { Draft = routine, Sample = 10 }, context.RequestAborted);
            var html = await ComponentHtml.RenderAsync<RoutinePreviewResults>(context, new Dictionary<string, object?> { [nameof(RoutinePreviewResults.Preview)] = preview });
            return Results.Ok(new LivePreview(preview.InMarket, text.N(preview.InMarket), preview.SavedInMarket, [], html));
        }
        catch (RuleException ex)
        {
            return Invalid([.. ex.Problems.Select(p => new RulesApi.ProblemView(p.Rule, p.Part, p.Message, p.Line, p.Column))]);
        }
    }

    private static IResult Invalid(IReadOnlyList<RulesApi.ProblemView> problems) =>
        Results.Json(new LivePreview(0, "—", null, problems, string.Empty), Json, statusCode: StatusCodes.Status400BadRequest);
}
