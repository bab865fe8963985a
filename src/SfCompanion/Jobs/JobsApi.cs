using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;
using SfCompanion.Storage;

namespace SfCompanion.Jobs;

public static class JobsApi
{
    /// <summary>A job with its schedule, next fire time, last finished run and the run in progress (with its progress).</summary>
    public sealed record JobView(
        string Name,
        string? Description,
        string Cron,
        string TimeZone,
        bool Paused,
        bool DefaultSchedule,
        DateTimeOffset? NextFireAt,
        DateTimeOffset? LastScheduledFireAt,
        JobRun? LastRun,
        JobRun? CurrentRun,
        string? QueuedRunId);

    public sealed record ScheduleRequest(string? Cron, string? TimeZone);

    public sealed record RunAccepted(string RunId, string Status, string Location);

    public sealed record RunsPage(IReadOnlyList<JobRun> Items, string? Next);

    /// <summary>
    /// Jobs endpoints on the <c>/api</c> group: reading needs viewer, running a job marketer, changing schedules admin.
    /// </summary>
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListJobsAsync).RequireRole(SfcRoles.Viewer).WithName("ListJobs")
            .WithSummary("Every job: schedule, paused, next fire time, last run and the run in progress with its progress.");
        jobs.MapGet("/{name}", GetJobAsync).RequireRole(SfcRoles.Viewer).WithName("GetJob").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One job, as in the list.");
        jobs.MapPut("/{name}/schedule", SetScheduleAsync).RequireRole(SfcRoles.Admin).WithName("SetJobSchedule").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Changes a job's schedule: a Quartz cron expression (seconds first, e.g. \"0 */15 * * * ?\") and an IANA time zone. Applies without restart.");
        jobs.MapPost("/{name}/pause", PauseAsync).RequireRole(SfcRoles.Admin).WithName("PauseJob").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Stops scheduled runs of a job (runs on request still work).");
        jobs.MapPost("/{name}/resume", ResumeAsync).RequireRole(SfcRoles.Admin).WithName("ResumeJob").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Resumes scheduled runs; fire times that passed while paused are not caught up.");
        jobs.MapPost("/{name}/run", RunNowAsync).RequireRole(SfcRoles.Marketer).WithName("RunJob").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Runs a job now: 202 with the run id (follow it at /api/runs/{id}); 409 when a run is in progress or queued.");
        jobs.MapGet("/{name}/runs", ListRunsAsync).RequireRole(SfcRoles.Viewer).WithName("ListJobRuns").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A job's runs, newest first; pass the previous page's 'next' as 'before' for older ones.");
        api.MapGet("/runs/{id}", GetRunAsync).RequireRole(SfcRoles.Viewer).WithTags("Jobs").WithName("GetJobRun").ProducesProblem(StatusCodes.Status404NotFound).WithSummary("One run: status, times, progress, API calls, errors.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<JobView>>> ListJobsAsync(JobCatalog catalog, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken)
    {
        var views = new List<JobView>();
        foreach (var job in catalog.Jobs)
        {
            views.Add(await ViewAsync(job, store, leases, time, cancellationToken));
        }

        return TypedResults.Ok<IReadOnlyList<JobView>>(views);
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetJobAsync(string name, JobCatalog catalog, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken) =>
        catalog.Find(name) is { } job
            ? TypedResults.Ok(await ViewAsync(job, store, leases, time, cancellationToken))
            : UnknownJob(name, catalog);

    private static async Task<Results<Ok<JobView>, ProblemHttpResult, ValidationProblem>> SetScheduleAsync(
        string name, ScheduleRequest request, JobCatalog catalog, JobControl control, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } job)
        {
            return UnknownJob(name, catalog);
        }

        var (_, errors) = await control.SetScheduleAsync(job, request.Cron, request.TimeZone, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
                detail: string.Join(" ", errors.Values.SelectMany(v => v)),
                title: "Invalid schedule");
        }

        return TypedResults.Ok(await ViewAsync(job, store, leases, time, cancellationToken));
    }

    private static Task<Results<Ok<JobView>, ProblemHttpResult>> PauseAsync(string name, JobCatalog catalog, JobControl control, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken) =>
        SetPausedAsync(name, paused: true, catalog, control, store, leases, time, cancellationToken);

    private static Task<Results<Ok<JobView>, ProblemHttpResult>> ResumeAsync(string name, JobCatalog catalog, JobControl control, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken) =>
        SetPausedAsync(name, paused: false, catalog, control, store, leases, time, cancellationToken);

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> SetPausedAsync(
        string name, bool paused, JobCatalog catalog, JobControl control, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } job)
        {
            return UnknownJob(name, catalog);
        }

        await control.SetPausedAsync(job, paused, cancellationToken);
        return TypedResults.Ok(await ViewAsync(job, store, leases, time, cancellationToken));
    }

    private static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> RunNowAsync(string name, JobCatalog catalog, JobControl control, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } job)
        {
            return UnknownJob(name, catalog);
        }

        var result = await control.RequestRunAsync(job, cancellationToken);
        if (result.Run is not { } run)
        {
            return TypedResults.Problem(result.Conflict, statusCode: StatusCodes.Status409Conflict, title: "The job is already running");
        }

        var location = $"/api/runs/{run.Id}";
        return TypedResults.Accepted(location, new RunAccepted(run.Id, run.Status, location));
    }

    private static async Task<Results<Ok<RunsPage>, ProblemHttpResult, ValidationProblem>> ListRunsAsync(
        string name, int? limit, string? before, JobCatalog catalog, JobStore store, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } job)
        {
            return UnknownJob(name, catalog);
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["limit"] = [$"limit = {limit}: must be between 1 and 500 (e.g. 50)."] },
                title: "Invalid limit");
        }

        var (runs, next) = await store.ListRunsAsync(job.Name, limit ?? 50, before, cancellationToken);
        return TypedResults.Ok(new RunsPage(runs, next));
    }

    private static async Task<Results<Ok<JobRun>, ProblemHttpResult>> GetRunAsync(string id, JobStore store, CancellationToken cancellationToken) =>
        await store.GetRunAsync(id, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem($"No job run has id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "No such run");

    internal static async Task<JobView> ViewAsync(JobDefinition job, JobStore store, ILeaseStore leases, TimeProvider time, CancellationToken cancellationToken)
    {
        var schedule = await store.GetScheduleAsync(job, cancellationToken);
        var state = await store.GetStateAsync(job.Name, cancellationToken);
        var lastRun = state.LastRunId is { } lastId ? await store.GetRunAsync(lastId, cancellationToken) : null;
        JobRun? current = null;
        if (state.RunningRunId is { } runningId && await leases.GetHolderAsync(JobExecutor.LeaseName(job.Name), cancellationToken) is not null)
        {
            current = await store.GetRunAsync(runningId, cancellationToken);
        }

        return new JobView(
            job.Name,
            job.Description,
            schedule.Cron,
            schedule.TimeZone,
            schedule.Paused,
            schedule.UpdatedAt is null,
            JobScheduleCalculator.NextFire(schedule, time.GetUtcNow()),
            state.LastScheduledFireAt,
            lastRun,
            current,
            state.QueuedRunId);
    }

    private static ProblemHttpResult UnknownJob(string name, JobCatalog catalog) =>
        TypedResults.Problem(
            $"No job is named '{name}'. Jobs: {string.Join(", ", catalog.Jobs.Select(j => j.Name).DefaultIfEmpty("(none registered)"))}.",
            statusCode: StatusCodes.Status404NotFound,
            title: "No such job");
}
