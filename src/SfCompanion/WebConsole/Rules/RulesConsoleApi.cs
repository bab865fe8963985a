using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using SfCompanion.Admin;
using SfCompanion.Rules;
using SfCompanion.WebConsole.Components.Pages.Rules;

namespace SfCompanion.WebConsole.Rules;

/// <summary>
/// <c>/console/api/rules/preview</c>: the rule editor's live "how many match?" while typing (marketer). Takes the
/// editor's fields as JSON (<see cref="RuleForm"/>), answers the figures, the problems with their positions, and the
/// preview fragment as the page renders it.
/// </summary>
public static class RulesConsoleApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The live figures of a draft, and the preview fragment rendered as the page does.</summary>
    public sealed record LivePreview(int Matches, string MatchesText, int? SavedMatches, int Gained, int Lost, IReadOnlyList<RulesApi.ProblemView> Problems, string Html);

    public static IEndpointRouteBuilder MapRulesConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(ConsoleAuth.BasePath + "/api/rules/preview", PreviewAsync)
            .RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Marketer))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> PreviewAsync(HttpContext context, IAntiforgery antiforgery, RulesService rules, ConsoleText text)
    {
        if (await ConsoleLiveRequests.RefuseWithoutAntiforgeryAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        RuleForm? form;
        try
        {
            form = await JsonSerializer.DeserializeAsync<RuleForm>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Results.Problem(title: "Invalid draft", detail: $"The body must be the rule editor's fields as JSON ({ex.Message}).", statusCode: StatusCodes.Status400BadRequest);
        }

        if (form is null)
        {
            return Results.Problem(title: "Invalid draft", detail: "The body must be the rule editor's fields as JSON, e.g. { \"object\": \"Contact\", \"criteria\": [ { \"name\": \"client\", \"formula\": \"Account.Won > 0\" } ] }.", statusCode: StatusCodes.Status400BadRequest);
        }

        var request = RuleEditing.PreviewRequest(form);
        try
        {
            var preview = await rules.PreviewAsync(request, context.RequestAborted);
            var html = await ComponentHtml.RenderAsync<RulePreviewResults>(context, new Dictionary<string, object?>
            {
                [nameof(RulePreviewResults.Preview)] = preview,
                [nameof(RulePreviewResults.BreakdownBy)] = request.BreakdownBy,
            });
            return Results.Ok(new LivePreview(preview.Matches, text.N(preview.Matches), preview.SavedMatches, preview.Gained, preview.Lost, [], html));
        }
        catch (RuleException ex)
        {
            var problems = ex.Problems.Select(p => new RulesApi.ProblemView(p.Rule, p.Part, p.Message, p.Line, p.Column)).ToList();
            return Results.Json(new LivePreview(0, "—", null, 0, 0, problems, string.Empty), Json, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
