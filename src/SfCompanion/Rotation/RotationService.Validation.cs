using System.Globalization;
using System.Text.RegularExpressions;
using SfCompanion.Rules;
using SfCompanion.Salesforce;

namespace SfCompanion.Rotation;

public sealed partial class RotationService
{
    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$")]
    private static partial Regex PoolName();

    /// <summary>Explicit JSON nulls for lists read as empty (a problem to report, not a server error).</summary>
    public static RotationPool Normalize(RotationPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool with
        {
            Reps = pool.Reps?.Select(r => r ?? new PoolRep { UserId = "", Weight = 0 }).ToList() ?? [],
            WorkingDays = pool.WorkingDays ?? [],
            Routine = pool.Routine ?? "",
            DayStart = pool.DayStart ?? "09:00",
            DayEnd = pool.DayEnd ?? "18:00",
            TimeZone = pool.TimeZone ?? "Europe/Paris",
            TaskSubject = string.IsNullOrWhiteSpace(pool.TaskSubject) ? new RotationPool().TaskSubject : pool.TaskSubject,
        };
    }

    /// <summary>Every problem of a pool, each naming the pool, the item and the fix; empty when valid.</summary>
    public async Task<IReadOnlyList<RuleProblem>> ValidateAsync(RotationPool pool, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = string.IsNullOrWhiteSpace(pool.Name) ? "(unnamed)" : pool.Name;
        var problems = new PoolProblems(name);
        if (!PoolName().IsMatch(pool.Name ?? ""))
        {
            problems.Add("name", $"name = '{pool.Name}': lower-case letters, digits and dashes, starting with a letter (e.g. \"publishers-north\").");
        }

        var routine = string.IsNullOrWhiteSpace(pool.Routine) ? null : await scoring.Routines.GetAsync(pool.Routine, cancellationToken);
        if (routine is null)
        {
            problems.Add("routine", $"routine = '{pool.Routine}': no saved scoring routine of that name; save it first or pick one of GET /api/scoring/routines.");
        }

        await ValidateRepsAsync(pool, problems, cancellationToken);
        foreach (var (part, message) in WorkingCalendar.From(pool).Problems)
        {
            problems.Add(part, message);
        }

        ValidateLimits(pool, problems);
        if (routine is not null && !string.IsNullOrWhiteSpace(pool.Segment))
        {
            try
            {
                await SegmentAsync(pool with { Name = name }, ObjectName(routine.Definition.Object), cancellationToken);
            }
            catch (RuleException ex)
            {
                problems.All.AddRange(ex.Problems);
            }
        }

        return problems.All;
    }

    /// <summary>The rep list: at least one rep, each well formed and known, none listed twice.</summary>
    private async Task ValidateRepsAsync(RotationPool pool, PoolProblems problems, CancellationToken cancellationToken)
    {
        if (pool.Reps.Count == 0)
        {
            problems.Add("reps", "reps: a pool needs at least one rep ({ \"userId\": \"005…\", \"weight\": 1 }).");
        }

        for (var i = 0; i < pool.Reps.Count; i++)
        {
            await ValidateRepAsync(pool.Reps[i], $"reps[{i}] {pool.Reps[i].UserId}", problems, cancellationToken);
        }

        foreach (var dup in pool.Reps.GroupBy(r => r.UserId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add("reps " + dup.Key, $"{dup.Key} is listed {dup.Count()} times: list each rep once (raise the weight for a larger share).");
        }
    }

    /// <summary>One rep: a user id of a user in the mirror, a positive weight, caps of 0 or more.</summary>
    private async Task ValidateRepAsync(PoolRep rep, string part, PoolProblems problems, CancellationToken cancellationToken)
    {
        if (!SalesforceIds.IsWellFormed(rep.UserId) || !rep.UserId.StartsWith("005", StringComparison.Ordinal))
        {
            problems.Add(part, $"userId = '{rep.UserId}': a Salesforce user id (005…, 15 or 18 characters).");
        }
        else if (await mirror.GetAsync("User", rep.UserId, cancellationToken) is null)
        {
            problems.Add(part, $"userId = '{rep.UserId}': no such user in the mirror; sync users (POST /api/sync/run) or correct the id.");
        }

        if (!(rep.Weight > 0) || !double.IsFinite(rep.Weight))
        {
            problems.Add(part, $"weight = {rep.Weight.ToString(CultureInfo.InvariantCulture)}: a weight is more than 0 (e.g. 1; 2 gets twice as many). To stop assigning to a rep, set onLeave or remove them.");
        }

        if (rep.DailyCap < 0)
        {
            problems.Add(part, $"dailyCap = {rep.DailyCap}: 0 or more (null for no daily limit).");
        }

        if (rep.OpenCap < 0)
        {
            problems.Add(part, $"openCap = {rep.OpenCap}: 0 or more (null for no limit on open suspects).");
        }
    }

    /// <summary>The pool's numbers: SLA, recycles, task due days and suspects per run.</summary>
    private static void ValidateLimits(RotationPool pool, PoolProblems problems)
    {
        if (!(pool.SlaHours > 0) || !double.IsFinite(pool.SlaHours))
        {
            problems.Add("slaHours", $"slaHours = {pool.SlaHours.ToString(CultureInfo.InvariantCulture)}: working hours before an untouched suspect goes on, more than 0 (e.g. 16: two working days).");
        }

        if (pool.MaxRecycles < 0)
        {
            problems.Add("maxRecycles", $"maxRecycles = {pool.MaxRecycles}: 0 or more (0: never recycled).");
        }

        if (pool.TaskDueDays < 0)
        {
            problems.Add("taskDueDays", $"taskDueDays = {pool.TaskDueDays}: 0 (today) or more.");
        }

        if (pool.MaxPerRun < 1)
        {
            problems.Add("maxPerRun", $"maxPerRun = {pool.MaxPerRun}: at least 1.");
        }
    }

    /// <summary>The problems found in one pool, each naming the pool.</summary>
    private sealed class PoolProblems(string pool)
    {
        public List<RuleProblem> All { get; } = [];

        public void Add(string part, string message) => All.Add(new RuleProblem(pool, part, message));
    }

    /// <summary>Validates and saves a new version of a pool; the problems instead when any.</summary>
    public async Task<(Rules.Versioned<RotationPool>? Saved, IReadOnlyList<RuleProblem> Problems)> SaveAsync(RotationPool pool, string changedBy, CancellationToken cancellationToken = default)
    {
        pool = Normalize(pool);
        if (await ValidateAsync(pool, cancellationToken) is { Count: > 0 } problems)
        {
            return (null, problems);
        }

        return (await Pools.SaveAsync(pool.Name, pool, changedBy, cancellationToken: cancellationToken), []);
    }
}
