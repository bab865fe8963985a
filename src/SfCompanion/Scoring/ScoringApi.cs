using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;
using SfCompanion.Jobs;
using SfCompanion.Rules;
using SfCompanion.Storage;
using SfCompanion.Writeback;

namespace SfCompanion.Scoring;

/// <summary>
/// <c>/api/scoring</c>: viewers read routines, bands, the flow and transitions; marketers preview and put suspects
/// back; admins save, delete and run. Invalid routines answer <c>400 application/problem+json</c> with each problem.
/// </summary>
public static class ScoringApi
{
    private const string RoutinesPath = "/api/scoring/routines";

    public static RouteGroupBuilder MapScoringApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var routines = api.MapGroup("/scoring/routines").WithTags("Scoring");
        routines.MapGet("/", ListAsync).WithName("ListRoutines").WithSummary("Saved routines with their last run.");
        routines.MapGet("/{name}", GetAsync).WithName("GetRoutine").WithSummary("A saved routine (current version).");
        routines.MapGet("/{name}/versions", HistoryAsync).WithName("ListRoutineVersions").WithSummary("Every saved version of a routine.");
        routines.MapGet("/{name}/bands", BandsAsync).WithName("GetRoutineBands").WithSummary("How many records of the market fall in each band, computed now.");
        routines.MapGet("/{name}/flow", FlowAsync).WithName("GetRoutineFlow").WithSummary("Suspects that matched since a rep last saw them, best score first (limit, default 50).");
        routines.MapPost("/preview", PreviewAsync).RequireRole(SfcRoles.Marketer).WithName("PreviewRoutine")
            .WithSummary("What-if for a draft routine: market size, bands, tags, suspects gained and lost, best records with reasons. Writes nothing.");
        routines.MapPost("/{name}/flow/{id}/put-back", PutBackAsync).RequireRole(SfcRoles.Marketer).WithName("PutBackSuspect")
            .WithSummary("Takes a suspect out of the flow until new facts raise its score by the routine's match points.");
        var admin = routines.MapGroup("").RequireRole(SfcRoles.Admin);
        admin.MapPut("/{name}", SaveAsync).WithName("SaveRoutine").WithSummary("Validates and saves a routine as a new version.");
        admin.MapDelete("/{name}", DeleteAsync).WithName("DeleteRoutine").WithSummary("Deletes a routine (versions stay readable; values written stay in Salesforce).");
        admin.MapPost("/{name}/run", RunAsync).WithName("RunRoutine").WithSummary("Scores now and queues what changed (nothing when dry-run); returns bands, tags and the flow size.");
        api.MapGroup("/scoring").WithTags("Scoring").MapGet("/transitions", TransitionsAsync).WithName("ListTagTransitions")
            .WithSummary("The append-only log of tag changes (after = last sequence read, limit ≤ 1000).");
        return api;
    }

    private static async Task<Ok<List<object>>> ListAsync(ScoringService scoring, CancellationToken cancellationToken)
    {
        var list = new List<object>();
        foreach (var routine in await scoring.Routines.ListAsync(cancellationToken))
        {
            var state = await scoring.GetStateAsync(routine.Name, cancellationToken);
            list.Add(new { routine.Name, routine.Version, routine.ChangedBy, routine.ChangedAt, routine.Definition, state.LastRunAt, state.LastRun });
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<Versioned<RoutineDefinition>>, ProblemHttpResult>> GetAsync(string name, ScoringService scoring, CancellationToken cancellationToken) =>
        await scoring.Routines.GetAsync(name, cancellationToken) is { } routine ? TypedResults.Ok(routine) : RulesApi.NotFound("routine", name, RoutinesPath);

    private static async Task<Results<Ok<IReadOnlyList<Versioned<RoutineDefinition>>>, ProblemHttpResult>> HistoryAsync(string name, ScoringService scoring, CancellationToken cancellationToken) =>
        RulesApi.History(await scoring.Routines.HistoryAsync(name, cancellationToken), "routine", name, RoutinesPath);

    private static async Task<Results<Ok<IReadOnlyList<BandCount>>, ProblemHttpResult>> BandsAsync(string name, ScoringService scoring, CancellationToken cancellationToken)
    {
        if (await scoring.Routines.GetAsync(name, cancellationToken) is not { } routine)
        {
            return RulesApi.NotFound("routine", name, RoutinesPath);
        }

        try
        {
            return TypedResults.Ok(await scoring.BandsAsync(routine, cancellationToken));
        }
        catch (RuleException ex)
        {
            return RulesApi.Invalid(ex.Problems, "Routine cannot be computed");
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<FlowEntry>>, ProblemHttpResult>> FlowAsync(string name, ScoringService scoring, int? limit, CancellationToken cancellationToken) =>
        await scoring.Routines.GetAsync(name, cancellationToken) is null
            ? RulesApi.NotFound("routine", name, RoutinesPath)
            : TypedResults.Ok(await scoring.FlowAsync(name, Math.Clamp(limit ?? 50, 1, 10_000), cancellationToken));

    private static async Task<Results<Ok<RoutinePreview>, ProblemHttpResult>> PreviewAsync(RoutinePreviewRequest request, ScoringService scoring, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await scoring.PreviewAsync(request, cancellationToken));
        }
        catch (RuleException ex)
        {
            return RulesApi.Invalid(ex.Problems, "Invalid draft routine");
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PutBackAsync(string name, string id, ScoringService scoring, TimeProvider time, CancellationToken cancellationToken)
    {
        var state = await scoring.GetStateAsync(name, cancellationToken);
        if (!state.Records.ContainsKey(id))
        {
            return TypedResults.Problem(title: "Not in the market", detail: $"Record '{id}' is not in routine '{name}''s market (GET /api/scoring/routines/{name}/flow lists the flow).", statusCode: StatusCodes.Status404NotFound);
        }

        await scoring.MarkSeenAsync(name, [id], time.GetUtcNow(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Versioned<RoutineDefinition>>, ProblemHttpResult>> SaveAsync(string name, RoutineDefinition routine, ScoringService scoring, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var normalized = routine.WithDefaults() with { Name = name };
        var (saved, problems) = await scoring.SaveAsync(normalized, RulesApi.Who(user), cancellationToken);
        return saved is null ? RulesApi.Invalid(problems, "Invalid routine") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, ScoringService scoring, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await scoring.Routines.GetAsync(name, cancellationToken) is not { } routine)
        {
            return RulesApi.NotFound("routine", name, RoutinesPath);
        }

        await scoring.Routines.DeleteAsync(routine, RulesApi.Who(user), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RoutineRunResult>, ProblemHttpResult>> RunAsync(string name, ScoringService scoring, JobCatalog catalog, JobControl control, CancellationToken cancellationToken)
    {
        if (await scoring.Routines.GetAsync(name, cancellationToken) is not { } routine)
        {
            return RulesApi.NotFound("routine", name, RoutinesPath);
        }

        var result = await scoring.RunAsync(routine, cancellationToken);
        if (result.ValuesQueued > 0)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }

        return result.Status == RuleStatuses.Failed ? RulesApi.Invalid(result.Problems, "Routine failed") : TypedResults.Ok(result);
    }

    private static async Task<Ok<List<JsonElement>>> TransitionsAsync(ILogStore logs, long? after, int? limit, CancellationToken cancellationToken)
    {
        var entries = await logs.ReadAsync(ScoringService.TransitionLog, after ?? 0, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        return TypedResults.Ok(entries.Select(e =>
        {
            using var doc = JsonDocument.Parse(e.Payload);
            var element = doc.RootElement.Clone();
            return element;
        }).ToList());
    }
}
