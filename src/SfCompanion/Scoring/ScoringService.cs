using System.Diagnostics;
using System.Text.Json;
using SfCompanion.Formulas;
using SfCompanion.Rules;
using SfCompanion.Rules.Projection;
using SfCompanion.Salesforce;
using SfCompanion.Storage;
using SfCompanion.Writeback;

namespace SfCompanion.Scoring;

/// <summary>
/// Scoring routines: stored and versioned, computed on the rules' columnar projection, scores, bands, reasons, tags
/// and match dates written through the outbox (only what changed), tag transitions logged, and the suspect flow.
/// </summary>
public sealed partial class ScoringService(RulesService rules, IDocumentStore store, ILogStore logs, Outbox outbox, TimeProvider time, ILogger<ScoringService> logger)
{
    public const string TransitionLog = "scoring-transitions";
    private const string StateKind = "routine-state";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public VersionedStore<RoutineDefinition> Routines { get; } = new(store, "routine", time);

    public async Task<IReadOnlyList<RoutineRunResult>> RunAllAsync(Action<long, long?, string>? progress = null, CancellationToken cancellationToken = default)
    {
        var routines = (await Routines.ListAsync(cancellationToken)).Where(r => r.Definition.Enabled).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var results = new List<RoutineRunResult>();
        foreach (var routine in routines)
        {
            progress?.Invoke(results.Count, routines.Count, "routine " + routine.Name);
            results.Add(await RunAsync(routine, cancellationToken));
        }

        return results;
    }

    /// <summary>Computes a saved routine, updates its records' standing, logs tag changes and queues what changed for Salesforce.</summary>
    public async Task<RoutineRunResult> RunAsync(Versioned<RoutineDefinition> saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var started = Stopwatch.GetTimestamp();
        var routine = saved.Definition with { Name = saved.Name };
        var now = time.GetUtcNow();
        try
        {
            var (stateDoc, state) = await GetStateDocumentAsync(routine.Name, cancellationToken);
            var computed = await rules.ComputeAsync(routine.Name, ScoringDefaults.Rollups, async (context, describes) =>
            {
                var evaluation = await EvaluateAsync(context, routine, describes);
                var (next, transitions) = NextState(evaluation, state, now);
                var desired = routine.DryRun ? [] : await DesiredValuesAsync(context.View, evaluation, next);
                return (evaluation, next, transitions, desired);
            }, cancellationToken);

            if (computed.desired.Count > 0)
            {
                await outbox.EnqueueAsync(computed.desired, cancellationToken);
            }

            if (computed.transitions.Count > 0)
            {
                await logs.AppendAsync(TransitionLog, [.. computed.transitions.Select(t => JsonSerializer.Serialize(t, Json))], cancellationToken);
            }

            var result = Summary(saved, computed.evaluation, computed.next, computed.transitions.Count, computed.desired.Count, started);
            await SaveStateAsync(routine.Name, stateDoc, state, computed.next, result, cancellationToken);
            return result;
        }
        catch (RuleException ex)
        {
            LogFailed(routine.Name, string.Join(" ", ex.Problems));
            return new RoutineRunResult { Routine = routine.Name, Version = saved.Version, Status = RuleStatuses.Failed, Problems = ex.Problems };
        }
    }

    private static RoutineRunResult Summary(Versioned<RoutineDefinition> saved, ScoringEvaluation evaluation, Dictionary<string, RecordState> next, int transitions, int queued, long started) => new()
    {
        Routine = saved.Name,
        Version = saved.Version,
        Status = saved.Definition.DryRun ? RuleStatuses.DryRun : RuleStatuses.Ok,
        Records = evaluation.Table.LiveRows,
        InMarket = evaluation.Count,
        Tags = next.Values.GroupBy(r => r.Tag).ToDictionary(g => g.Key, g => g.Count()),
        Bands = Histogram(evaluation),
        Transitions = transitions,
        InFlow = next.Values.Count(r => r.InFlow),
        ValuesQueued = queued,
        RecordErrors = evaluation.Errors,
        Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds,
    };

    internal static async Task<ScoringEvaluation> EvaluateAsync(ComputeContext context, RoutineDefinition routine, IReadOnlyDictionary<string, SObjectDescribe> describes)
    {
        if (ScoringValidation.Check(routine, describes) is { Count: > 0 } problems)
        {
            throw new RuleException(problems);
        }

        var describe = describes.Values.First(d => string.Equals(d.Name, routine.Object, StringComparison.OrdinalIgnoreCase));
        return await ScoringEngine.EvaluateAsync(context, routine with { Object = describe.Name }, describe);
    }

    public static IReadOnlyList<BandCount> Histogram(ScoringEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var counts = new int[evaluation.Bands.Count];
        foreach (var band in evaluation.Band)
        {
            if (band >= 0)
            {
                counts[band]++;
            }
        }

        return [.. evaluation.Bands.Select((b, i) => new BandCount(b.Name, b.Min, b.Max, counts[i]))];
    }

    /// <summary>
    /// Each record in the market now: its tag, score, match date (entering the market, or gaining the routine's match
    /// points since it last matched) and last-seen date carried over; tag changes with their cause.
    /// </summary>
    private static (Dictionary<string, RecordState>, List<TagTransition>) NextState(ScoringEvaluation evaluation, RoutineState state, DateTimeOffset now)
    {
        var routine = evaluation.Routine;
        var table = evaluation.Table;
        var next = new Dictionary<string, RecordState>(StringComparer.Ordinal);
        var transitions = new List<TagTransition>();
        for (var row = 0; row < table.Rows; row++)
        {
            if (!evaluation.InMarket[row])
            {
                continue;
            }

            var id = table.Id(row);
            var score = Math.Max(0, evaluation.Score[row]);
            var tag = evaluation.Tag[row];
            if (!state.Records.TryGetValue(id, out var before))
            {
                next[id] = new RecordState(tag, score, now, score);
                transitions.Add(new TagTransition(routine.Name, id, ScoringDefaults.OutOfMarket, tag, now, "entered the market"));
                continue;
            }

            var matched = score - before.MatchScore >= routine.MatchPoints && routine.MatchPoints > 0;
            next[id] = before with
            {
                Tag = tag,
                Score = score,
                MatchedAt = matched ? now : before.MatchedAt,
                MatchScore = matched ? score : Math.Min(before.MatchScore, score),
            };
            if (before.Tag != tag)
            {
                transitions.Add(new TagTransition(routine.Name, id, before.Tag, tag, now, tag switch
                {
                    ScoringDefaults.Client => "client formula now holds (" + (routine.Tags.Client ?? ScoringDefaults.ClientFormula(table.Name)) + ")",
                    ScoringDefaults.Prospect => "prospect formula now holds (" + (routine.Tags.Prospect ?? ScoringDefaults.ProspectFormula(table.Name)) + ")",
                    _ => "neither client nor prospect any more: back to suspect",
                }));
            }
        }

        foreach (var (id, before) in state.Records.Where(r => !next.ContainsKey(r.Key)))
        {
            var row = table.RowOf(id);
            transitions.Add(new TagTransition(routine.Name, id, before.Tag, ScoringDefaults.OutOfMarket, now,
                row < 0 || !table.IsLive(row) ? "deleted in Salesforce" : "no longer meets the mandatory criteria"));
        }

        return (next, transitions);
    }

    /// <summary>The targets' values that differ from what the mirror holds; records out of the market have them blank.</summary>
    private static async Task<List<DesiredValue>> DesiredValuesAsync(ProjectionView view, ScoringEvaluation evaluation, Dictionary<string, RecordState> next)
    {
        var routine = evaluation.Routine;
        var targets = routine.Targets;
        var table = evaluation.Table;
        var needs = new List<(string, string, FormulaType)>();
        void Need(string? field, FormulaType type)
        {
            if (field is not null)
            {
                needs.Add((table.Name, field, type));
            }
        }

        Need(targets.Score, FormulaType.Number);
        Need(targets.Band, FormulaType.Text);
        Need(targets.Reasons, FormulaType.Text);
        Need(targets.Tag, FormulaType.Text);
        Need(targets.MatchDate, FormulaType.Date);
        await view.EnsureColumnsAsync(needs);

        var source = "scoring:" + routine.Name;
        var desired = new List<DesiredValue>();
        var scored = !routine.IsMarketOnly;
        for (var row = 0; row < table.Rows; row++)
        {
            if (!table.IsLive(row))
            {
                continue;
            }

            var id = table.Id(row);
            var record = next.GetValueOrDefault(id);
            void Want(string? field, object? value)
            {
                if (field is not null && !FieldValues.AreEqual(FieldValues.ToText(value), table.Column(field)?.Text(row) is { Length: > 0 } t ? t : null))
                {
                    desired.Add(new DesiredValue(table.Name, id, field, value, source, record is null ? "out of the market" : record.Tag));
                }
            }

            Want(targets.Score, scored && record is not null ? (decimal)evaluation.Score[row] : null);
            Want(targets.Band, scored && record is not null ? evaluation.BandName(row) : null);
            Want(targets.Reasons, scored && record is not null ? evaluation.Reasons(row) : null);
            Want(targets.Tag, record?.Tag);
            Want(targets.MatchDate, record is null ? null : DateOnly.FromDateTime(record.MatchedAt.UtcDateTime));
        }

        return desired;
    }

    public async Task<RoutineState> GetStateAsync(string routine, CancellationToken cancellationToken = default) =>
        (await GetStateDocumentAsync(routine, cancellationToken)).State;

    private async Task<(StoredDocument? Doc, RoutineState State)> GetStateDocumentAsync(string routine, CancellationToken cancellationToken) =>
        await store.GetAsync(StateKind, routine, cancellationToken) is { } doc ? (doc, JsonSerializer.Deserialize<RoutineState>(doc.Data, Json)!) : (null, new RoutineState());

    /// <summary>
    /// Saves the run's standing. Last-seen dates recorded meanwhile (a rotation, a put-back) are kept: the document is
    /// re-read and merged when someone else wrote it since the run started.
    /// </summary>
    private async Task SaveStateAsync(string routine, StoredDocument? doc, RoutineState before, Dictionary<string, RecordState> next, RoutineRunResult result, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await store.PutAsync(StateKind, new DocumentWrite(routine, JsonSerializer.Serialize(new RoutineState { Records = next, LastRunAt = time.GetUtcNow(), LastRun = result }, Json), doc?.Version ?? 0), cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                (doc, var current) = await GetStateDocumentAsync(routine, cancellationToken);
                foreach (var (id, record) in current.Records)
                {
                    if (next.TryGetValue(id, out var mine) && record.LastSeen != before.Records.GetValueOrDefault(id)?.LastSeen)
                    {
                        next[id] = mine with { LastSeen = record.LastSeen };
                    }
                }
            }
        }
    }

    /// <summary>Records that reps saw (assigned, shown, put back) at <paramref name="at"/>: they leave the flow until they match again.</summary>
    public async Task MarkSeenAsync(string routine, IReadOnlyCollection<string> ids, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        while (true)
        {
            var (doc, state) = await GetStateDocumentAsync(routine, cancellationToken);
            foreach (var id in ids)
            {
                if (state.Records.TryGetValue(id, out var record))
                {
                    state.Records[id] = record with { LastSeen = at };
                }
            }

            try
            {
                await store.PutAsync(StateKind, new DocumentWrite(routine, JsonSerializer.Serialize(state, Json), doc?.Version ?? 0), cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Written by a run meanwhile: apply again on what it wrote.
            }
        }
    }

    /// <summary>The routine's suspect flow: suspects that matched since a rep last saw them, best score first.</summary>
    public async Task<IReadOnlyList<FlowEntry>> FlowAsync(string routine, int limit, CancellationToken cancellationToken = default)
    {
        var state = await GetStateAsync(routine, cancellationToken);
        return [.. state.Records.Where(r => r.Value.InFlow).OrderByDescending(r => r.Value.Score).ThenBy(r => r.Value.MatchedAt).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Take(limit).Select(r => new FlowEntry(r.Key, r.Value.Score, r.Value.MatchedAt, r.Value.LastSeen))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routine {Routine} failed; nothing written for it: {Problems}")]
    private partial void LogFailed(string routine, string problems);
}

/// <summary>A suspect in the flow.</summary>
public sealed record FlowEntry(string Id, int Score, DateTimeOffset MatchedAt, DateTimeOffset? LastSeen);
