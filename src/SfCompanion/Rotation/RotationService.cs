using System.Globalization;
using System.Text.Json;
using SfCompanion.Formulas;
using SfCompanion.Rules;
using SfCompanion.Scoring;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Rotation;

/// <summary>
/// Rotation pools: a routine's suspect flow shared among reps by weighted round robin within their caps, owners and
/// follow-up tasks written through the outbox, suspects untouched within the SLA recycled to the next rep, a
/// departing rep's suspects reassigned, and every move in the <c>rotation-audit</c> log.
/// </summary>
public sealed partial class RotationService(
    ScoringService scoring,
    RulesService rules,
    Mirror mirror,
    IDocumentStore store,
    ILogStore logs,
    Outbox outbox,
    TimeProvider time,
    ILogger<RotationService> logger) : IDisposable
{
    public const string AuditLog = "rotation-audit";
    private const string StateKind = "rotation-state";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public VersionedStore<RotationPool> Pools { get; } = new(store, "rotation-pool", time);

    public async Task<RotationState> GetStateAsync(string pool, CancellationToken cancellationToken = default) =>
        (await GetStateDocumentAsync(pool, cancellationToken)).State;

    private async Task<(StoredDocument? Doc, RotationState State)> GetStateDocumentAsync(string pool, CancellationToken cancellationToken) =>
        await store.GetAsync(StateKind, pool, cancellationToken) is { } doc ? (doc, JsonSerializer.Deserialize<RotationState>(doc.Data, Json)!) : (null, new RotationState());

    /// <summary>Runs every enabled pool, one after the other.</summary>
    public async Task<IReadOnlyList<RotationRunResult>> RunAllAsync(string by, Action<long, long?, string>? progress = null, CancellationToken cancellationToken = default)
    {
        var pools = (await Pools.ListAsync(cancellationToken)).Where(p => p.Definition.Enabled).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var results = new List<RotationRunResult>();
        foreach (var pool in pools)
        {
            progress?.Invoke(results.Count, pools.Count, "pool " + pool.Name);
            results.Add(await RunAsync(pool, by, cancellationToken));
        }

        return results;
    }

    /// <summary>Recycles what is past its SLA, then assigns the flow's best suspects; writes owners and tasks through the outbox.</summary>
    public Task<RotationRunResult> RunAsync(Versioned<RotationPool> saved, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        var pool = saved.Definition with { Name = saved.Name };
        return ApplyAsync(pool, by, (state, now) => PlanRunAsync(pool, state, now, by, cancellationToken), cancellationToken);
    }

    /// <summary>What a run of a saved or draft pool would do now; writes nothing.</summary>
    /// <exception cref="RuleException">The draft is not valid, or the pool is unknown.</exception>
    public async Task<RotationRunResult> PreviewAsync(RotationPreviewRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RotationPool pool;
        if (request.Draft is { } draft)
        {
            pool = Normalize(draft with { Name = string.IsNullOrWhiteSpace(draft.Name) ? request.Pool ?? "draft" : draft.Name });
            if (await ValidateAsync(pool, cancellationToken) is { Count: > 0 } problems)
            {
                throw new RuleException(problems);
            }
        }
        else if (request.Pool is { } name && await Pools.GetAsync(name, cancellationToken) is { } saved)
        {
            pool = saved.Definition with { Name = saved.Name };
        }
        else
        {
            throw new RuleException([new RuleProblem(request.Pool ?? "(none)", "pool", request.Pool is null
                ? "Give 'pool' (a saved pool's name) or 'draft' (a pool definition) to preview."
                : $"pool = '{request.Pool}': no saved pool of that name; GET /api/rotation/pools lists them.")]);
        }

        var (_, state) = await GetStateDocumentAsync(pool.Name, cancellationToken);
        var plan = await PlanRunAsync(pool, state, time.GetUtcNow(), "preview", cancellationToken);
        return plan.Result with { Status = plan.Result.Status == RotationStatuses.Failed ? RotationStatuses.Failed : RotationStatuses.Preview };
    }

    /// <summary>Moves <paramref name="request"/>.From's open suspects and open follow-up tasks to the pool's other reps.</summary>
    /// <exception cref="RuleException">The rep is not in the pool.</exception>
    public async Task<RotationRunResult> ReassignAsync(Versioned<RotationPool> saved, ReassignRequest request, string by, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(request);
        var pool = saved.Definition with { Name = saved.Name };
        if (!pool.Reps.Any(r => string.Equals(r.UserId, request.From, StringComparison.Ordinal)))
        {
            throw new RuleException([new RuleProblem(pool.Name, "from", $"from = '{request.From}': not a rep of pool '{pool.Name}' (its reps: {string.Join(", ", pool.Reps.Select(r => r.UserId))}).")]);
        }

        if (request.MarkOnLeave)
        {
            pool = pool with { Reps = [.. pool.Reps.Select(r => string.Equals(r.UserId, request.From, StringComparison.Ordinal) ? r with { OnLeave = true } : r)] };
            await Pools.SaveAsync(pool.Name, pool, by, cancellationToken: cancellationToken);
        }

        return await ApplyAsync(pool, by, (state, now) => PlanReassignAsync(pool, state, request.From, now, by, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Plans on the current state, saves the new state (optimistic concurrency: planned again on a conflict), then
    /// queues owners and tasks, marks the assigned suspects seen and appends the audit.
    /// </summary>
    private async Task<RotationRunResult> ApplyAsync(RotationPool pool, string by, Func<RotationState, DateTimeOffset, Task<RotationPlan>> planner, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                var (doc, state) = await GetStateDocumentAsync(pool.Name, cancellationToken);
                var plan = await planner(state, now);
                if (plan.Result.Status == RotationStatuses.Failed)
                {
                    LogFailed(pool.Name, string.Join(" ", plan.Result.Problems));
                    return plan.Result;
                }

                try
                {
                    await store.PutAsync(StateKind, new DocumentWrite(pool.Name, JsonSerializer.Serialize(plan.State with { LastRunAt = now }, Json), doc?.Version ?? 0), cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    continue;
                }

                if (plan.Values.Count > 0)
                {
                    await outbox.EnqueueAsync(plan.Values, cancellationToken);
                }

                foreach (var record in plan.Records)
                {
                    await outbox.EnqueueRecordAsync(record, cancellationToken);
                }

                if (plan.Seen.Count > 0)
                {
                    await scoring.MarkSeenAsync(pool.Routine, plan.Seen, now, cancellationToken);
                }

                if (plan.Events.Count > 0)
                {
                    await logs.AppendAsync(AuditLog, [.. plan.Events.Select(e => JsonSerializer.Serialize(e, Json))], cancellationToken);
                }

                LogRun(pool.Name, plan.Result.Assigned, plan.Result.Recycled, plan.Result.Parked, by);
                return plan.Result;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal sealed record RotationPlan(RotationRunResult Result, RotationState State, List<DesiredValue> Values, List<DesiredRecord> Records, List<string> Seen, List<RotationEvent> Events);

    private static RotationPlan Failed(RotationPool pool, IReadOnlyList<RuleProblem> problems) =>
        new(new RotationRunResult { Pool = pool.Name, Status = RotationStatuses.Failed, Problems = problems, Message = string.Join(" ", problems) }, new RotationState(), [], [], [], []);

    /// <summary>The run's context: calendar, routine object, availability and the allocator on the persisted credits and caps.</summary>
    private sealed class RunContext
    {
        public required RotationPool Pool { get; init; }
        public required WorkingCalendar Calendar { get; init; }
        public required string Object { get; init; }
        public required string RoutineName { get; init; }
        public required DateOnly Today { get; init; }
        public required RotationAllocator Allocator { get; init; }
        public required Dictionary<string, int> AssignedToday { get; init; }
        public required Dictionary<string, RotationAssignment> Open { get; init; }
        public required List<SkippedRep> Unavailable { get; init; }
        public required DateTimeOffset Now { get; init; }
        public required string By { get; init; }
        public List<DesiredValue> Values { get; } = [];
        public List<DesiredRecord> Records { get; } = [];
        public List<RotationEvent> Events { get; } = [];
        public List<PlannedAssignment> Planned { get; } = [];
        public string Source => "rotation:" + Pool.Name;

        public RotationState NextState() => new() { Credits = Allocator.Credits(), Day = Today, AssignedToday = AssignedToday, Open = Open };

        public RotationEvent Event(string action, string id, string? from, string? to, int? score, string reason) => new(Pool.Name, action, id, from, to, score, Now, reason, By);
    }

    private async Task<(RunContext? Context, IReadOnlyList<RuleProblem> Problems)> ContextAsync(RotationPool pool, RotationState state, DateTimeOffset now, string by, CancellationToken cancellationToken)
    {
        var (calendar, calendarProblems) = WorkingCalendar.From(pool);
        var routine = await scoring.Routines.GetAsync(pool.Routine, cancellationToken);
        var problems = calendarProblems.Select(p => new RuleProblem(pool.Name, p.Part, p.Message)).ToList();
        if (routine is null)
        {
            problems.Add(new RuleProblem(pool.Name, "routine", $"routine = '{pool.Routine}': no saved scoring routine of that name; GET /api/scoring/routines lists them."));
        }

        if (calendar is null || routine is null)
        {
            return (null, problems);
        }

        var today = calendar.LocalDate(now);
        var assignedToday = state.Day == today ? new Dictionary<string, int>(state.AssignedToday, StringComparer.Ordinal) : new Dictionary<string, int>(StringComparer.Ordinal);
        var open = new Dictionary<string, RotationAssignment>(state.Open, StringComparer.Ordinal);
        var unavailable = new List<SkippedRep>();
        var reps = new List<AllocatorRep>();
        foreach (var rep in pool.Reps)
        {
            var reason = await UnavailableBecauseAsync(rep, calendar, today, cancellationToken);
            if (reason is not null)
            {
                unavailable.Add(new SkippedRep(rep.UserId, reason));
            }

            var openCount = open.Values.Count(a => string.Equals(a.Rep, rep.UserId, StringComparison.Ordinal));
            reps.Add(new AllocatorRep(rep.UserId, rep.Weight, reason is null,
                rep.DailyCap is { } daily ? Math.Max(0, daily - assignedToday.GetValueOrDefault(rep.UserId)) : null,
                rep.OpenCap is { } openCap ? Math.Max(0, openCap - openCount) : null));
        }

        var credits = state.Credits.Where(c => pool.Reps.Any(r => r.UserId == c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        return (new RunContext
        {
            Pool = pool,
            Calendar = calendar,
            Object = ObjectName(routine.Definition.Object),
            RoutineName = routine.Name,
            Today = today,
            Allocator = new RotationAllocator(reps, credits),
            AssignedToday = assignedToday,
            Open = open,
            Unavailable = unavailable,
            Now = now,
            By = by,
        }, []);
    }

    private static readonly string[] Objects = ["Lead", "Contact", "Account"];

    private static string ObjectName(string sobject) =>
        Objects.FirstOrDefault(o => string.Equals(o, sobject, StringComparison.OrdinalIgnoreCase)) ?? sobject;

    /// <summary>Why a rep gets nothing today, or null when available.</summary>
    private async Task<string?> UnavailableBecauseAsync(PoolRep rep, WorkingCalendar calendar, DateOnly today, CancellationToken cancellationToken)
    {
        var user = await mirror.GetAsync("User", rep.UserId, cancellationToken);
        if (user is null)
        {
            return "not a user in the mirror (deleted in Salesforce, or users not synced yet)";
        }

        if (!string.Equals(user["IsActive"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return "inactive in Salesforce (no licence)";
        }

        if (rep.OnLeave)
        {
            return "on leave";
        }

        return calendar.IsWorkingDay(today) ? null : $"today ({today:yyyy-MM-dd}, {WorkingCalendar.DayName(today.DayOfWeek)}) is not a working day of the pool";
    }

    private async Task<RotationPlan> PlanRunAsync(RotationPool pool, RotationState state, DateTimeOffset now, string by, CancellationToken cancellationToken)
    {
        var (context, problems) = await ContextAsync(pool, state, now, by, cancellationToken);
        if (context is null)
        {
            return Failed(pool, problems);
        }

        HashSet<string>? segment;
        try
        {
            segment = await SegmentAsync(pool, context.Object, cancellationToken);
        }
        catch (RuleException ex)
        {
            return Failed(pool, ex.Problems);
        }

        var routineState = await scoring.GetStateAsync(context.RoutineName, cancellationToken);
        var (worked, recycled, parked) = await RecycleAsync(context, routineState, cancellationToken);

        var flow = await scoring.FlowAsync(context.RoutineName, int.MaxValue, cancellationToken);
        var seen = new List<string>();
        var deleted = new List<string>();
        int outOfSegment = 0, left = 0;
        string? stopped = null;
        foreach (var entry in flow)
        {
            if (context.Open.ContainsKey(entry.Id))
            {
                continue;
            }

            if (segment is not null && !segment.Contains(entry.Id))
            {
                outOfSegment++;
                continue;
            }

            if (stopped is not null)
            {
                left++;
                continue;
            }

            if (await mirror.GetAsync(context.Object, entry.Id, cancellationToken) is null)
            {
                deleted.Add(entry.Id);
                context.Events.Add(context.Event("skip", entry.Id, null, null, entry.Score, $"deleted in Salesforce since routine '{context.RoutineName}' scored it"));
                continue;
            }

            if (seen.Count >= pool.MaxPerRun)
            {
                stopped = $"The run's limit of {pool.MaxPerRun} suspects (maxPerRun) was reached.";
                left++;
                continue;
            }

            if (context.Allocator.Next() is not { } rep)
            {
                stopped = NobodyMessage(context);
                left++;
                continue;
            }

            Assign(context, entry.Id, entry.Score, rep, 0, "assign", null, $"best suspect of routine '{context.RoutineName}' (score {entry.Score}), weighted round robin");
            seen.Add(entry.Id);
        }

        if (stopped is not null && left > 0)
        {
            stopped += $" {left} suspect(s) stay in the flow for the next run.";
        }

        var result = new RotationRunResult
        {
            Pool = pool.Name,
            Status = seen.Count + recycled > 0 ? RotationStatuses.Ok : RotationStatuses.Idle,
            Assignments = context.Planned,
            Assigned = seen.Count,
            Recycled = recycled,
            Parked = parked,
            Worked = worked,
            OutOfSegment = outOfSegment,
            SkippedDeleted = deleted,
            Left = left,
            PerRep = PerRep(context),
            SkippedReps = Skipped(context),
            Message = stopped,
        };
        return new RotationPlan(result, context.NextState(), context.Values, context.Records, seen, context.Events);
    }

    private static Dictionary<string, int> PerRep(RunContext context)
    {
        var counts = context.Pool.Reps.ToDictionary(r => r.UserId, _ => 0, StringComparer.Ordinal);
        foreach (var planned in context.Planned)
        {
            counts[planned.Rep] = counts.GetValueOrDefault(planned.Rep) + 1;
        }

        return counts;
    }

    /// <summary>Unavailable reps with their reason, and available reps whose cap stopped them.</summary>
    private static List<SkippedRep> Skipped(RunContext context)
    {
        var skipped = new List<SkippedRep>(context.Unavailable);
        var allocator = context.Allocator;
        for (var i = 0; i < allocator.Reps.Count; i++)
        {
            var rep = context.Pool.Reps[i];
            if (!allocator.Reps[i].Available || allocator.CanTake(i))
            {
                continue;
            }

            skipped.Add(new SkippedRep(rep.UserId, rep.DailyCap is { } daily && context.AssignedToday.GetValueOrDefault(rep.UserId) >= daily
                ? $"daily cap of {daily} reached"
                : $"open cap of {rep.OpenCap} reached (suspects assigned and not yet worked)"));
        }

        return skipped;
    }

    private static string NobodyMessage(RunContext context) => context.Unavailable.Count == context.Pool.Reps.Count
        ? $"No rep of pool '{context.Pool.Name}' is available: {string.Join("; ", context.Unavailable.Select(s => s.UserId + " " + s.Reason))}."
        : $"Every available rep of pool '{context.Pool.Name}' reached a cap: {string.Join("; ", Skipped(context).Select(s => s.UserId + " " + s.Reason))}.";

    /// <summary>Queues the owner and the follow-up task of one suspect for <paramref name="rep"/> and records it as open.</summary>
    private static void Assign(RunContext context, string id, int score, string rep, int recycles, string action, string? from, string reason)
    {
        context.Open[id] = new RotationAssignment(context.Object, rep, context.Now, score, recycles);
        context.AssignedToday[rep] = context.AssignedToday.GetValueOrDefault(rep) + 1;
        var (owner, task) = Writes(context.Pool, context.Object, context.RoutineName, context.Today, id, score, rep, recycles, reason);
        context.Values.Add(owner);
        context.Records.Add(task);
        context.Planned.Add(new PlannedAssignment(id, score, rep, action, from));
        context.Events.Add(context.Event(action, id, from, rep, score, reason));
    }

    /// <summary>
    /// The outbox writes of one assignment: the record's <c>OwnerId</c>, and the follow-up task for the rep, upserted on
    /// <c>Sfc_Key__c</c> (one per record and round, so a re-sent or reassigned task updates the same one).
    /// </summary>
    public static (DesiredValue Owner, DesiredRecord Task) Writes(RotationPool pool, string sobject, string routine, DateOnly today, string id, int score, string rep, int recycles, string reason)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var source = "rotation:" + pool.Name;
        var subject = pool.TaskSubject.Replace("{score}", score.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{routine}", routine, StringComparison.Ordinal).Replace("{pool}", pool.Name, StringComparison.Ordinal);
        var fields = new Dictionary<string, object?>
        {
            ["Subject"] = subject.Length <= 255 ? subject : subject[..255],
            ["Description"] = $"Assigned by rotation pool {pool.Name}: {reason}. Log a completed activity within {pool.SlaHours.ToString(CultureInfo.InvariantCulture)} working hours, or it goes to the next rep.",
            [sobject == "Account" ? "WhatId" : "WhoId"] = id,
            ["OwnerId"] = rep,
            ["ActivityDate"] = today.AddDays(pool.TaskDueDays),
            ["Status"] = "Not Started",
            ["Priority"] = "Normal",
        };
        return (new DesiredValue(sobject, id, "OwnerId", rep, source, reason),
            new DesiredRecord("Task", RotationAssignment.TaskKey(id, recycles), fields, source, reason, ExternalIdField: "Sfc_Key__c"));
    }

    /// <summary>
    /// Open assignments: worked ones leave (a completed task of the owner on the record, or no longer a suspect of the
    /// routine); those past the SLA go to the next rep, or stay parked with their owner after the maximum recycles.
    /// </summary>
    private async Task<(int Worked, int Recycled, int Parked)> RecycleAsync(RunContext context, RoutineState routineState, CancellationToken cancellationToken)
    {
        int worked = 0, recycled = 0, parked = 0;
        var pool = context.Pool;
        foreach (var (id, assignment) in context.Open.OrderBy(a => a.Value.AssignedAt).ThenBy(a => a.Key, StringComparer.Ordinal).ToList())
        {
            if (await WorkedBecauseAsync(id, assignment, routineState, cancellationToken) is { } why)
            {
                context.Open.Remove(id);
                context.Allocator.Release(assignment.Rep);
                context.Events.Add(context.Event("worked", id, assignment.Rep, null, assignment.Score, why));
                worked++;
                continue;
            }

            if (assignment.Parked || context.Calendar.WorkingHoursBetween(assignment.AssignedAt, context.Now) < pool.SlaHours)
            {
                continue;
            }

            var sla = $"no activity by {assignment.Rep} within {pool.SlaHours.ToString(CultureInfo.InvariantCulture)} working hours";
            if (assignment.Recycles >= pool.MaxRecycles)
            {
                context.Open[id] = assignment with { Parked = true };
                context.Events.Add(context.Event("park", id, assignment.Rep, assignment.Rep, assignment.Score, $"{sla}, already recycled {assignment.Recycles} time(s) (maxRecycles {pool.MaxRecycles}): stays with its owner"));
                parked++;
                continue;
            }

            if (context.Allocator.Next(exclude: assignment.Rep) is not { } next)
            {
                // Nobody else can take it now: it stays, and is tried again at the next run.
                continue;
            }

            context.Allocator.Release(assignment.Rep);
            Assign(context, id, assignment.Score, next, assignment.Recycles + 1, "recycle", assignment.Rep, $"{sla} (recycle {assignment.Recycles + 1} of {pool.MaxRecycles})");
            recycled++;
        }

        return (worked, recycled, parked);
    }

    private async Task<string?> WorkedBecauseAsync(string id, RotationAssignment assignment, RoutineState routineState, CancellationToken cancellationToken)
    {
        if (!routineState.Records.TryGetValue(id, out var record))
        {
            return "left the routine's market (or deleted in Salesforce)";
        }

        if (record.Tag != ScoringDefaults.Suspect)
        {
            return $"now {record.Tag} in the routine";
        }

        if (assignment.Object is "Lead" or "Contact")
        {
            var tasks = await mirror.FindAsync("Task", "WhoId", id, cancellationToken: cancellationToken);
            if (tasks.Any(t => string.Equals(t["OwnerId"], assignment.Rep, StringComparison.Ordinal) && string.Equals(t["Status"], "Completed", StringComparison.OrdinalIgnoreCase)))
            {
                return $"{assignment.Rep} completed a task on it";
            }
        }

        return null;
    }

    private async Task<RotationPlan> PlanReassignAsync(RotationPool pool, RotationState state, string from, DateTimeOffset now, string by, CancellationToken cancellationToken)
    {
        var (context, problems) = await ContextAsync(pool, state, now, by, cancellationToken);
        if (context is null)
        {
            return Failed(pool, problems);
        }

        int moved = 0, tasks = 0, left = 0;
        string? stopped = null;
        foreach (var (id, assignment) in context.Open.Where(a => string.Equals(a.Value.Rep, from, StringComparison.Ordinal)).OrderByDescending(a => a.Value.Score).ThenBy(a => a.Key, StringComparer.Ordinal).ToList())
        {
            if (context.Allocator.Next(exclude: from) is not { } next)
            {
                stopped ??= NobodyMessage(context);
                left++;
                continue;
            }

            context.Allocator.Release(from);
            Assign(context, id, assignment.Score, next, assignment.Recycles, "reassign", from, $"reassigned from {from} by {by}" + (pool.Reps.First(r => r.UserId == from).OnLeave ? " (on leave)" : ""));
            moved++;
            if (assignment.Object is "Lead" or "Contact")
            {
                foreach (var task in await mirror.FindAsync("Task", "WhoId", id, cancellationToken: cancellationToken))
                {
                    if (string.Equals(task["OwnerId"], from, StringComparison.Ordinal) && !string.Equals(task["Status"], "Completed", StringComparison.OrdinalIgnoreCase))
                    {
                        context.Values.Add(new DesiredValue("Task", task.Id, "OwnerId", next, context.Source, $"open task of {from} reassigned with the suspect"));
                        tasks++;
                    }
                }
            }
        }

        if (stopped is not null)
        {
            stopped += $" {left} suspect(s) stay with {from}.";
        }

        var result = new RotationRunResult
        {
            Pool = pool.Name,
            Status = moved > 0 ? RotationStatuses.Ok : RotationStatuses.Idle,
            Assignments = context.Planned,
            Assigned = moved,
            TasksMoved = tasks,
            Left = left,
            PerRep = PerRep(context),
            SkippedReps = Skipped(context),
            Message = stopped,
        };
        return new RotationPlan(result, context.NextState(), context.Values, context.Records, [], context.Events);
    }

    /// <summary>The ids of the routine's object the segment formula holds for; null without a segment.</summary>
    /// <exception cref="RuleException">The formula does not compile (with its position) or reads a field that is not synced.</exception>
    private async Task<HashSet<string>?> SegmentAsync(RotationPool pool, string sobject, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(pool.Segment))
        {
            return null;
        }

        return await rules.ComputeAsync(pool.Name, ScoringDefaults.Rollups, async (context, _) =>
        {
            var name = context.Schema.ObjectName(sobject);
            var options = new FormulaOptions();
            await context.PrepareAsync([(name, pool.Segment, options)]);
            var compiled = await context.CompileAsync(pool.Name, "segment", name, pool.Segment, FormulaType.Boolean, options);
            var table = context.View.Table(name);
            var match = context.EvaluateAll(table, compiled.AsBoolean());
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var row = 0; row < match.Length; row++)
            {
                if (match[row])
                {
                    ids.Add(table.Id(row));
                }
            }

            return ids;
        }, cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rotation pool {Pool} failed; nothing assigned: {Problems}")]
    private partial void LogFailed(string pool, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotation pool {Pool}: {Assigned} assigned, {Recycled} recycled, {Parked} parked (by {By})")]
    private partial void LogRun(string pool, int assigned, int recycled, int parked, string by);
}
