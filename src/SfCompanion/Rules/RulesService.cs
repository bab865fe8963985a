using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Formulas;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Rules;

/// <summary>
/// Rules and roll-ups: stored and versioned, validated on save, computed on the columnar projection, and their
/// results queued into the outbox — only the values that differ from what the mirror holds. One failing rule never
/// stops the others, and nothing is written for a rule that failed.
/// </summary>
public sealed partial class RulesService(
    ColumnarProjection projection,
    IDocumentStore store,
    SchemaStore schemas,
    SyncObjectCatalog catalog,
    Outbox outbox,
    IOptions<RulesOptions> options,
    TimeProvider time,
    ILogger<RulesService> logger)
{
    private const string StateKind = "rule-state";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public VersionedStore<RuleDefinition> Rules { get; } = new(store, "rule", time);

    public VersionedStore<RollupDefinition> Rollups { get; } = new(store, "rollup", time);

    private TimeSpan Budget => TimeSpan.FromSeconds(options.Value.TimeBudgetSeconds);

    /// <summary>Runs every enabled rule, one after the other; each rule's outcome is reported, failures included.</summary>
    public async Task<IReadOnlyList<RuleRunResult>> RunAllAsync(Action<long, long?, string>? progress = null, CancellationToken cancellationToken = default)
    {
        var rules = (await Rules.ListAsync(cancellationToken)).Where(r => r.Definition.Enabled).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var results = new List<RuleRunResult>();
        foreach (var rule in rules)
        {
            progress?.Invoke(results.Count, rules.Count, "rule " + rule.Name);
            results.Add(await RunAsync(rule, cancellationToken));
        }

        progress?.Invoke(results.Count, rules.Count, "roll-ups written to fields");
        results.AddRange(await WriteRollupTargetsAsync(cancellationToken));
        progress?.Invoke(results.Count, results.Count, "done");
        return results;
    }

    /// <summary>
    /// Roll-ups with a target field: their value for every parent record, queued where it differs from what the mirror
    /// holds. Reported like rules (one result per roll-up, named <c>roll-up {name}</c>).
    /// </summary>
    public async Task<IReadOnlyList<RuleRunResult>> WriteRollupTargetsAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<RuleRunResult>();
        foreach (var saved in (await Rollups.ListAsync(cancellationToken)).Where(r => !string.IsNullOrWhiteSpace(r.Definition.Target)))
        {
            var rollup = saved.Definition with { Name = saved.Name };
            var name = "roll-up " + rollup.Name;
            try
            {
                var desired = await ComputeAsync(name, [], async (context, describes) =>
                {
                    var target = describes.Values.FirstOrDefault(d => string.Equals(d.Name, rollup.Object, StringComparison.OrdinalIgnoreCase))?.Field(rollup.Target!);
                    if (target is null || target.Type is not ("double" or "currency" or "percent" or "int" or "date" or "datetime"))
                    {
                        throw new RuleException([new RuleProblem(name, "target", $"target = '{rollup.Target}': a number or date field of {rollup.Object} in Salesforce is needed (deploy it or name another).")]);
                    }

                    var value = await context.CompileAsync(name, "value", rollup.Object, rollup.Name, null, new FormulaOptions());
                    var table = context.View.Table(context.Schema.ObjectName(rollup.Object));
                    await context.View.EnsureColumnsAsync([(table.Name, target.Name, value.ResultType)]);
                    var current = table.Column(target.Name)!;
                    var values = new List<DesiredValue>();
                    for (var row = 0; row < table.Rows; row++)
                    {
                        var wanted = table.IsLive(row) ? value.Evaluate(context.Runtime, row) : null;
                        if (table.IsLive(row) && !FieldValues.AreEqual(FieldValues.ToText(wanted), current.Text(row) is { Length: > 0 } t ? t : null))
                        {
                            values.Add(new DesiredValue(table.Name, table.Id(row), target.Name, wanted, "rules:" + name, "roll-up value"));
                        }
                    }

                    return values;
                }, cancellationToken);
                if (desired.Count > 0)
                {
                    await outbox.EnqueueAsync(desired, cancellationToken);
                }

                results.Add(new RuleRunResult { Rule = name, Version = saved.Version, Status = RuleStatuses.Ok, ValuesQueued = desired.Count });
            }
            catch (RuleException ex)
            {
                LogFailed(name, string.Join(" ", ex.Problems));
                results.Add(new RuleRunResult { Rule = name, Version = saved.Version, Status = RuleStatuses.Failed, Problems = ex.Problems });
            }
        }

        return results;
    }

    /// <summary>Runs one saved rule now (its dry-run setting honoured).</summary>
    public async Task<RuleRunResult> RunAsync(Versioned<RuleDefinition> saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var started = Stopwatch.GetTimestamp();
        var rule = saved.Definition with { Name = saved.Name };
        var state = await GetStateAsync(rule.Name, cancellationToken);
        var result = await ComputeRunAsync(saved, rule, state, cancellationToken);
        result = result with { Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
        if (result.Status == RuleStatuses.Failed)
        {
            LogFailed(rule.Name, string.Join(" ", result.Problems));
            await SaveStateAsync(rule.Name, state with { LastRun = result }, cancellationToken);
        }

        return result;
    }

    private async Task<RuleRunResult> ComputeRunAsync(Versioned<RuleDefinition> saved, RuleDefinition rule, RuleState state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var (schema, describes) = await SchemaAsync(await RollupDefinitionsAsync(null, cancellationToken), cancellationToken);
        if (RuleValidation.Check(rule, describes) is { Count: > 0 } shape)
        {
            return Failed(saved, shape);
        }

        // Values are queued (and later mirrored) under the object's name as Salesforce spells it.
        rule = rule with { Object = schema.ObjectName(rule.Object) };

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            var computed = await projection.UseAsync(async view =>
            {
                var context = new ComputeContext(view, schema, IsSynced, new FormulaRuntime(now));
                var evaluation = await RuleEngine.EvaluateAsync(context, rule);
                var reviews = await RuleEngine.ReviewDatesAsync(context, evaluation, today);
                var since = evaluation.MatchingRows().ToDictionary(r => evaluation.Table.Id(r), r => state.Since.TryGetValue(evaluation.Table.Id(r), out var s) ? s : today, StringComparer.Ordinal);
                var desired = rule.DryRun ? [] : await DesiredValuesAsync(view, rule, evaluation, since, reviews);
                return (evaluation, reviews, since, desired);
            }, budget.Token);

            if (computed.desired.Count > 0)
            {
                await outbox.EnqueueAsync(computed.desired, cancellationToken);
            }

            var result = new RuleRunResult
            {
                Rule = rule.Name,
                Version = saved.Version,
                Status = rule.DryRun ? RuleStatuses.DryRun : RuleStatuses.Ok,
                Records = computed.evaluation.Table.LiveRows,
                Matched = computed.since.Count,
                Gained = computed.since.Keys.Count(id => !state.Since.ContainsKey(id)),
                Lost = state.Since.Keys.Count(id => !computed.since.ContainsKey(id)),
                ExcludedByConsent = computed.evaluation.ExcludedByConsent,
                RecordErrors = computed.evaluation.Errors,
                ValuesQueued = computed.desired.Count,
                NextReview = computed.reviews.Values.Where(d => d.HasValue).Min(),
            };
            await SaveStateAsync(rule.Name, new RuleState { Since = computed.since, LastRunAt = time.GetUtcNow(), LastRun = result }, cancellationToken);
            return result;
        }
        catch (RuleException ex)
        {
            return Failed(saved, ex.Problems);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(saved, [new RuleProblem(rule.Name, "run", $"The rule ran past its time budget of {options.Value.TimeBudgetSeconds} s (Rules:TimeBudgetSeconds) and was stopped; nothing was written. Simplify its formulas or raise the budget.")]);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the projection with the formula schema (saved roll-ups, plus
    /// <paramref name="builtIn"/> ones where no saved roll-up has the same name), within the time budget. For other
    /// capabilities computing on the same projection (scoring).
    /// </summary>
    /// <exception cref="RuleException">A formula problem, or the time budget ran out (named by <paramref name="name"/>).</exception>
    public async Task<T> ComputeAsync<T>(string name, IReadOnlyList<RollupDefinition> builtIn, Func<ComputeContext, IReadOnlyDictionary<string, SObjectDescribe>, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builtIn);
        ArgumentNullException.ThrowIfNull(work);
        var rollups = await RollupDefinitionsAsync(null, cancellationToken);
        rollups.AddRange(builtIn.Where(b => !rollups.Any(r => string.Equals(r.Name, b.Name, StringComparison.OrdinalIgnoreCase) && string.Equals(r.Object, b.Object, StringComparison.OrdinalIgnoreCase))));
        var (schema, describes) = await SchemaAsync(rollups, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            return await projection.UseAsync(view => work(new ComputeContext(view, schema, IsSynced, new FormulaRuntime(now)), describes), budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RuleException([new RuleProblem(name, "run", $"{name} ran past the time budget of {options.Value.TimeBudgetSeconds} s (Rules:TimeBudgetSeconds) and was stopped; nothing was written.")]);
        }
    }

    private static RuleRunResult Failed(Versioned<RuleDefinition> saved, IReadOnlyList<RuleProblem> problems) =>
        new() { Rule = saved.Name, Version = saved.Version, Status = RuleStatuses.Failed, Problems = problems };

    /// <summary>The values the rule's targets should hold that differ from what the projection (the mirror) holds.</summary>
    private static async Task<List<DesiredValue>> DesiredValuesAsync(ProjectionView view, RuleDefinition rule, RuleEvaluation evaluation,
        Dictionary<string, DateOnly> since, Dictionary<int, DateOnly?> reviews)
    {
        var targets = rule.Targets;
        var needs = new List<(string, string, FormulaType)>();
        if (targets.Flag is { } f) { needs.Add((rule.Object, f, FormulaType.Boolean)); }
        if (targets.Reasons is { } r) { needs.Add((rule.Object, r, FormulaType.Text)); }
        if (targets.Since is { } s) { needs.Add((rule.Object, s, FormulaType.Date)); }
        if (targets.Until is { } u) { needs.Add((rule.Object, u, FormulaType.Date)); }
        await view.EnsureColumnsAsync(needs);

        var table = evaluation.Table;
        var source = "rules:" + rule.Name;
        var desired = new List<DesiredValue>();
        for (var row = 0; row < table.Rows; row++)
        {
            if (!table.IsLive(row))
            {
                continue;
            }

            var match = evaluation.Match[row];
            var id = table.Id(row);
            var reason = match ? "matches: " + evaluation.Reasons(row) : "does not match";
            void Want(string? field, object? value)
            {
                if (field is not null && !FieldValues.AreEqual(FieldValues.ToText(value), Current(table, field, row)))
                {
                    desired.Add(new DesiredValue(rule.Object, id, field, value, source, reason));
                }
            }

            Want(targets.Flag, match);
            Want(targets.Reasons, match ? evaluation.Reasons(row) : null);
            Want(targets.Since, match ? since[id] : null);
            Want(targets.Until, match ? reviews.GetValueOrDefault(row) : null);
        }

        return desired;
    }

    private static string? Current(ObjectTable table, string field, int row) => table.Column(field)?.Text(row) is { Length: > 0 } text ? text : null;

    private bool IsSynced(string sobject, string field) =>
        string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase)
        || catalog.Find(sobject)?.Fields.Contains(field, StringComparer.OrdinalIgnoreCase) == true;

    /// <summary>The saved roll-ups, with <paramref name="overrides"/> replacing (or adding to) them by name.</summary>
    private async Task<List<RollupDefinition>> RollupDefinitionsAsync(IReadOnlyList<RollupDefinition>? overrides, CancellationToken cancellationToken)
    {
        var saved = (await Rollups.ListAsync(cancellationToken)).Select(v => v.Definition with { Name = v.Name }).ToList();
        foreach (var draft in overrides ?? [])
        {
            saved.RemoveAll(r => string.Equals(r.Name, draft.Name, StringComparison.OrdinalIgnoreCase));
            saved.Add(draft);
        }

        return saved;
    }

    /// <summary>The formula schema: every synced object's describe, and the roll-ups with their result types.</summary>
    private async Task<(ProjectionSchema Schema, Dictionary<string, SObjectDescribe> Describes)> SchemaAsync(IReadOnlyList<RollupDefinition> rollups, CancellationToken cancellationToken)
    {
        var describes = new Dictionary<string, SObjectDescribe>(StringComparer.OrdinalIgnoreCase);
        foreach (var sobject in catalog.Objects)
        {
            if (await schemas.GetAsync(sobject.Name, cancellationToken) is { } describe)
            {
                describes[sobject.Name] = describe;
            }
        }

        var schema = new ProjectionSchema(describes, rollups.DistinctBy(r => r.Object + "." + r.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(r => r.Object + "." + r.Name, StringComparer.OrdinalIgnoreCase));
        foreach (var rollup in rollups.Where(r => r.Function.ToUpperInvariant() is "MIN" or "MAX" && !string.IsNullOrWhiteSpace(r.Field)))
        {
            try
            {
                var value = new FormulaCompiler(schema, CollectingBinder.Instance).Compile(rollup.ChildObject, rollup.Field!);
                schema.SetRollupType(rollup, RollupEngine.ResultType(rollup, value.ResultType));
            }
            catch (FormulaException)
            {
                // Reported with its position when the roll-up is computed.
            }
        }

        return (schema, describes);
    }

    public async Task<RuleState> GetStateAsync(string rule, CancellationToken cancellationToken = default) =>
        await store.GetAsync(StateKind, rule, cancellationToken) is { } doc ? JsonSerializer.Deserialize<RuleState>(doc.Data, Json)! : new RuleState();

    private async Task SaveStateAsync(string rule, RuleState state, CancellationToken cancellationToken) =>
        await store.PutAsync(StateKind, new DocumentWrite(rule, JsonSerializer.Serialize(state, Json)), cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rule {Rule} failed; nothing written for it: {Problems}")]
    private partial void LogFailed(string rule, string problems);
}
