using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;
using SfCompanion.Jobs;
using SfCompanion.Writeback;

namespace SfCompanion.Rules;

/// <summary>
/// <c>/api/rules</c> and <c>/api/rollups</c>: viewers read, marketers preview (what-if), admins save, delete and run.
/// Invalid formulas answer <c>400 application/problem+json</c> with each problem's rule, part, message, line and column.
/// </summary>
public static class RulesApi
{
    public sealed record ProblemView(string Rule, string Part, string Message, int? Line, int? Column);

    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var rules = api.MapGroup("/rules").WithTags("Rules");
        rules.MapGet("/", ListRulesAsync).WithName("ListRules").WithSummary("Saved rules with their current version and last run.");
        rules.MapGet("/{name}", GetRuleAsync).WithName("GetRule").WithSummary("A saved rule (current version).");
        rules.MapGet("/{name}/versions", RuleHistoryAsync).WithName("ListRuleVersions").WithSummary("Every saved version of a rule: who, when, what.");
        rules.MapGet("/{name}/versions/{version:int}", RuleVersionAsync).WithName("GetRuleVersion").WithSummary("One earlier version of a rule.");
        rules.MapPost("/preview", PreviewAsync).RequireRole(SfcRoles.Marketer).WithName("PreviewRule")
            .WithSummary("What-if: how many records a draft matches on the whole mirror, gained and lost against the saved rule, a breakdown and samples with reasons. Writes nothing.");
        var admin = rules.MapGroup("").RequireRole(SfcRoles.Admin);
        admin.MapPut("/{name}", SaveRuleAsync).WithName("SaveRule").WithSummary("Validates and saves a rule as a new version.");
        admin.MapDelete("/{name}", DeleteRuleAsync).WithName("DeleteRule").WithSummary("Deletes a rule (its versions stay readable); values it wrote stay in Salesforce.");
        admin.MapPost("/{name}/run", RunRuleAsync).WithName("RunRule").WithSummary("Computes one rule now and queues what changed (nothing when dry-run); returns its figures.");

        var rollups = api.MapGroup("/rollups").WithTags("Rules");
        rollups.MapGet("/", ListRollupsAsync).WithName("ListRollups").WithSummary("Saved roll-ups (facts usable in formulas).");
        rollups.MapGet("/{name}", GetRollupAsync).WithName("GetRollup").WithSummary("A saved roll-up.");
        rollups.MapGet("/{name}/versions", RollupHistoryAsync).WithName("ListRollupVersions").WithSummary("Every saved version of a roll-up.");
        var rollupAdmin = rollups.MapGroup("").RequireRole(SfcRoles.Admin);
        rollupAdmin.MapPut("/{name}", SaveRollupAsync).WithName("SaveRollup").WithSummary("Validates and saves a roll-up as a new version.");
        rollupAdmin.MapDelete("/{name}", DeleteRollupAsync).WithName("DeleteRollup").WithSummary("Deletes a roll-up (its versions stay readable).");
        return api;
    }

    /// <summary>Explicit JSON nulls for the lists and the targets read as none (a problem to report, not a server error).</summary>
    private static RuleDefinition WithoutNulls(RuleDefinition rule) => rule with { Criteria = rule.Criteria ?? [], Targets = rule.Targets ?? new() };

    internal static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    internal static ProblemHttpResult Invalid(IReadOnlyList<RuleProblem> problems, string title) => TypedResults.Problem(
        title: title,
        detail: string.Join(" ", problems.Select(p => p.Line is { } line ? $"{p.Rule} / {p.Part}: {p.Message} (line {line}, column {p.Column})" : p.ToString())),
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["problems"] = problems.Select(p => new ProblemView(p.Rule, p.Part, p.Message, p.Line, p.Column)).ToList() });

    /// <summary>404 for an unknown definition, saying where they are listed (default <c>/api/{what}s</c>).</summary>
    internal static ProblemHttpResult NotFound(string what, string name, string? listPath = null) =>
        TypedResults.Problem(title: $"Unknown {what}", detail: $"No {what} named '{Shown(name)}'. GET {listPath ?? "/api/" + what + "s"} lists them.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>A value from the request as quoted back in a problem: at most 100 characters.</summary>
    internal static string Shown(string? value) => value is { Length: > 100 } ? value[..100] + "…" : value ?? string.Empty;

    /// <summary>The versions of a definition, or 404 when it never existed (a deleted one keeps its versions).</summary>
    internal static Results<Ok<IReadOnlyList<Versioned<T>>>, ProblemHttpResult> History<T>(IReadOnlyList<Versioned<T>> versions, string what, string name, string? listPath = null) =>
        versions.Count > 0 ? TypedResults.Ok(versions) : NotFound(what, name, listPath);

    private static async Task<Ok<List<object>>> ListRulesAsync(RulesService rules, CancellationToken cancellationToken)
    {
        var list = new List<object>();
        foreach (var rule in await rules.Rules.ListAsync(cancellationToken))
        {
            var state = await rules.GetStateAsync(rule.Name, cancellationToken);
            list.Add(new { rule.Name, rule.Version, rule.ChangedBy, rule.ChangedAt, rule.Definition, state.LastRunAt, state.LastRun });
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<Versioned<RuleDefinition>>, ProblemHttpResult>> GetRuleAsync(string name, RulesService rules, CancellationToken cancellationToken) =>
        await rules.Rules.GetAsync(name, cancellationToken) is { } rule ? TypedResults.Ok(rule) : NotFound("rule", name);

    private static async Task<Results<Ok<IReadOnlyList<Versioned<RuleDefinition>>>, ProblemHttpResult>> RuleHistoryAsync(string name, RulesService rules, CancellationToken cancellationToken) =>
        History(await rules.Rules.HistoryAsync(name, cancellationToken), "rule", name);

    private static async Task<Results<Ok<Versioned<RuleDefinition>>, ProblemHttpResult>> RuleVersionAsync(string name, int version, RulesService rules, CancellationToken cancellationToken) =>
        await rules.Rules.GetVersionAsync(name, version, cancellationToken) is { } rule ? TypedResults.Ok(rule) : NotFound("rule", $"{name} version {version}");

    private static async Task<Results<Ok<RulePreview>, ProblemHttpResult>> PreviewAsync(RulePreviewRequest request, RulesService rules, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await rules.PreviewAsync(request with { Draft = request.Draft is { } draft ? WithoutNulls(draft) : null }, cancellationToken));
        }
        catch (RuleException ex)
        {
            return Invalid(ex.Problems, "Invalid draft rule");
        }
    }

    private static async Task<Results<Ok<Versioned<RuleDefinition>>, ProblemHttpResult>> SaveRuleAsync(
        string name, RuleDefinition rule, RulesService rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (saved, problems) = await rules.SaveRuleAsync(WithoutNulls(rule) with { Name = name }, Who(user), cancellationToken);
        return saved is null ? Invalid(problems, "Invalid rule") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(string name, RulesService rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await rules.Rules.GetAsync(name, cancellationToken) is not { } rule)
        {
            return NotFound("rule", name);
        }

        await rules.Rules.DeleteAsync(rule, Who(user), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<RuleRunResult>, ProblemHttpResult>> RunRuleAsync(
        string name, RulesService rules, JobCatalog catalog, JobControl control, CancellationToken cancellationToken)
    {
        if (await rules.Rules.GetAsync(name, cancellationToken) is not { } rule)
        {
            return NotFound("rule", name);
        }

        var result = await rules.RunAsync(rule, cancellationToken);
        if (result.ValuesQueued > 0)
        {
            await control.RequestWritebackAsync(catalog, cancellationToken);
        }

        return result.Status == RuleStatuses.Failed ? Invalid(result.Problems, "Rule failed") : TypedResults.Ok(result);
    }

    private static async Task<Ok<IReadOnlyList<Versioned<RollupDefinition>>>> ListRollupsAsync(RulesService rules, CancellationToken cancellationToken) =>
        TypedResults.Ok(await rules.Rollups.ListAsync(cancellationToken));

    private static async Task<Results<Ok<Versioned<RollupDefinition>>, ProblemHttpResult>> GetRollupAsync(string name, RulesService rules, CancellationToken cancellationToken) =>
        await rules.Rollups.GetAsync(name, cancellationToken) is { } rollup ? TypedResults.Ok(rollup) : NotFound("rollup", name);

    private static async Task<Results<Ok<IReadOnlyList<Versioned<RollupDefinition>>>, ProblemHttpResult>> RollupHistoryAsync(string name, RulesService rules, CancellationToken cancellationToken) =>
        History(await rules.Rollups.HistoryAsync(name, cancellationToken), "roll-up", name, "/api/rollups");

    private static async Task<Results<Ok<Versioned<RollupDefinition>>, ProblemHttpResult>> SaveRollupAsync(
        string name, RollupDefinition rollup, RulesService rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (saved, problems) = await rules.SaveRollupAsync(rollup with { Name = name }, Who(user), cancellationToken);
        return saved is null ? Invalid(problems, "Invalid roll-up") : TypedResults.Ok(saved);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRollupAsync(string name, RulesService rules, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await rules.Rollups.GetAsync(name, cancellationToken) is not { } rollup)
        {
            return NotFound("rollup", name);
        }

        await rules.Rollups.DeleteAsync(rollup, Who(user), cancellationToken);
        return TypedResults.NoContent();
    }
}
