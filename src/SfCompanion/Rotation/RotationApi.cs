using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;
using SfCompanion.Jobs;
using SfCompanion.Rules;
using SfCompanion.Storage;
using SfCompanion.Writeback;

namespace SfCompanion.Rotation;

/// <summary>
/// <c>/api/rotation</c>: viewers read pools and the audit; marketers preview; admins save, delete, run and reassign.
/// Invalid pools answer <c>400 application/problem+json</c> with each problem (pool, item, what to fix, position).
/// </summary>
public static class RotationApi
{
    public static RouteGroupBuilder MapRotationApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var rotation = api.MapGroup("/rotation").WithTags("Rotation");
        var pools = rotation.MapGroup("/pools");
        pools.MapGet("/", ListAsync).WithName("ListRotationPools").WithSummary("Saved pools with their open assignments per rep and last run.");
        pools.MapGet("/{name}", GetAsync).WithName("GetRotationPool").WithSummary("A saved pool (current version).");
        pools.MapGet("/{name}/versions", HistoryAsync).WithName("ListRotationPoolVersions").WithSummary("Every saved version of a pool: who, when, what.");
        rotation.MapGet("/audit", AuditAsync).WithName("ListRotationAudit")
            .WithSummary("The append-only log of assignments, recycles, parks, reassignments and skipped suspects with their reason (after = last sequence read, limit ≤ 1000).");
        rotation.MapPost("/preview", PreviewAsync).RequireRole(SfcRoles.Marketer).WithName("PreviewRotation")
            .WithSummary("Who would get what now (record, score, rep), per-rep counts and skipped reps, for a saved pool or a draft. Writes nothing.");
        var admin = pools.MapGroup("").RequireRole(SfcRoles.Admin);
        admin.MapPut("/{name}", SaveAsync).WithName("SaveRotationPool").WithSummary("Validates and saves a pool as a new version.");
        admin.MapDelete("/{name}", DeleteAsync).WithName("DeleteRotationPool").WithSummary("Deletes a pool (versions stay readable; owners and tasks written stay in Salesforce).");
        admin.MapPost("/{name}/run", RunAsync).WithName("RunRotationPool").WithSummary("Recycles what is past its SLA and assigns the flow's best suspects now; owners and tasks go through the outbox.");
        admin.MapPost("/{name}/reassign", ReassignAsync).WithName("ReassignRotationRep")
            .WithSummary("Moves a departing or on-leave rep's open suspects and open follow-up tasks to the other reps by the same round robin (markOnLeave: also mark them on leave).");
        return api;
    }

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(title: "Unknown pool", detail: $"No rotation pool named '{name}'. GET /api/rotation/pools lists them.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<List<object>>> ListAsync(RotationService rotation, CancellationToken cancellationToken)
    {
        var list = new List<object>();
        foreach (var pool in await rotation.Pools.ListAsync(cancellationToken))
        {
            var state = await rotation.GetStateAsync(pool.Name, cancellationToken);
            var open = state.Open.Values.GroupBy(a => a.Rep).ToDictionary(g => g.Key, g => g.Count());
            list.Add(new { pool.Name, pool.Version, pool.ChangedBy, pool.ChangedAt, pool.Definition, Open = open, state.LastRunAt });
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<Versioned<RotationPool>>, ProblemHttpResult>> GetAsync(string name, RotationService rotation, CancellationToken cancellationToken) =>
        await rotation.Pools.GetAsync(name, cancellationToken) is { } pool ? TypedResults.Ok(pool) : NotFound(name);

    private static async Task<Results<Ok<IReadOnlyList<Versioned<RotationPool>>>, ProblemHttpResult>> HistoryAsync(string name, RotationService rotation, CancellationToken cancellationToken) =>
        await rotation.Pools.HistoryAsync(name, cancellationToken) is { Count: > 0 } versions ? TypedResults.Ok(versions) : NotFound(name);

    private static async Task<Results<Ok<Versioned<RotationPool>>, ProblemHttpResult>> SaveAsync(string name, RotationPool pool, RotationService rotation, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (saved, problems) = await rotation.SaveAsync(pool with { Name = name }, RulesApi.Who(user), cancellationToken);
        return saved is null ? RulesApi.Invalid(problems, $"Invalid pool '{name}'") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, RotationService rotation, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await rotation.Pools.GetAsync(name, cancellationToken) is not { } pool)
        {
            return NotFound(name);
        }

        await rotation.Pools.DeleteAsync(pool, RulesApi.Who(user), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RotationRunResult>, ProblemHttpResult>> PreviewAsync(RotationPreviewRequest request, RotationService rotation, CancellationToken cancellationToken)
    {
        try
        {
            var preview = await rotation.PreviewAsync(request, cancellationToken);
            return preview.Status == RotationStatuses.Failed ? RulesApi.Invalid(preview.Problems, $"Pool '{preview.Pool}' cannot be previewed") : TypedResults.Ok(preview);
        }
        catch (RuleException ex)
        {
            return RulesApi.Invalid(ex.Problems, "Invalid pool");
        }
    }

    private static async Task<Results<Ok<RotationRunResult>, ProblemHttpResult>> RunAsync(
        string name, RotationService rotation, ClaimsPrincipal user, JobCatalog catalog, JobControl control, IOptions<RotationOptions> options, CancellationToken cancellationToken)
    {
        if (await rotation.Pools.GetAsync(name, cancellationToken) is not { } pool)
        {
            return NotFound(name);
        }

        var result = await rotation.RunAsync(pool, RulesApi.Who(user), cancellationToken);
        await WritebackAsync(result, catalog, control, options, cancellationToken);
        return result.Status == RotationStatuses.Failed ? RulesApi.Invalid(result.Problems, $"Pool '{name}' failed") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<RotationRunResult>, ProblemHttpResult>> ReassignAsync(
        string name, ReassignRequest request, RotationService rotation, ClaimsPrincipal user, JobCatalog catalog, JobControl control, IOptions<RotationOptions> options, CancellationToken cancellationToken)
    {
        if (await rotation.Pools.GetAsync(name, cancellationToken) is not { } pool)
        {
            return NotFound(name);
        }

        try
        {
            var result = await rotation.ReassignAsync(pool, request with { From = request.From ?? "" }, RulesApi.Who(user), cancellationToken);
            await WritebackAsync(result, catalog, control, options, cancellationToken);
            return result.Status == RotationStatuses.Failed ? RulesApi.Invalid(result.Problems, $"Pool '{name}' failed") : TypedResults.Ok(result);
        }
        catch (RuleException ex)
        {
            return RulesApi.Invalid(ex.Problems, "Cannot reassign");
        }
    }

    private static async Task WritebackAsync(RotationRunResult result, JobCatalog catalog, JobControl control, IOptions<RotationOptions> options, CancellationToken cancellationToken)
    {
        if (result.Assigned + result.Recycled + result.TasksMoved > 0 && options.Value.WritebackAfterRun)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }
    }

    private static async Task<Ok<List<JsonElement>>> AuditAsync(ILogStore logs, long? after, int? limit, CancellationToken cancellationToken)
    {
        var entries = await logs.ReadAsync(RotationService.AuditLog, after ?? 0, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        return TypedResults.Ok(entries.Select(e =>
        {
            using var doc = JsonDocument.Parse(e.Payload);
            var element = doc.RootElement.Clone();
            if (element.ValueKind == JsonValueKind.Object)
            {
                // The sequence lets a reader page on with ?after=.
                var map = element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                map["sequence"] = JsonSerializer.SerializeToElement(e.Sequence);
                return JsonSerializer.SerializeToElement(map);
            }

            return element;
        }).ToList());
    }
}
