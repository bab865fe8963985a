using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Admin;
using SfCompanion.Jobs;
using SfCompanion.Storage;

namespace SfCompanion.WebConsole.Jobs;

/// <summary>The jobs pages' JSON endpoints: a job's live state (polled while a run is queued or running) and the fire-time preview.</summary>
public static class JobsConsoleApi
{
    /// <summary>Longest cron expression or time zone the preview reads (longer input is refused, not parsed).</summary>
    public const int MaxInputLength = 200;

    public static IEndpointRouteBuilder MapJobsConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var jobs = endpoints.MapGroup(ConsoleAuth.BasePath + "/api/jobs").ExcludeFromDescription();
        jobs.MapGet("/{name}", LiveAsync).RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Viewer));
        jobs.MapGet("/{name}/fire-times", FireTimes).RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Admin));
        return endpoints;
    }

    private static async Task<Results<Ok<JobLiveView>, ProblemHttpResult>> LiveAsync(
        string name, JobCatalog catalog, JobStore store, ILeaseStore leases, TimeProvider time, ConsoleText text, HttpContext context)
    {
        if (catalog.Find(name) is not { } job)
        {
            return UnknownJob(name);
        }

        context.Response.Headers.CacheControl = "no-store";
        var ct = context.RequestAborted;
        var view = await JobsApi.ViewAsync(job, store, leases, time, ct);
        return TypedResults.Ok(await JobDisplay.LiveAsync(text, view, store, time.GetUtcNow(), ct));
    }

    private static Results<Ok<FireTimesPreview>, ProblemHttpResult> FireTimes(string name, string? cron, string? timeZone, JobCatalog catalog, TimeProvider time, ConsoleText text)
    {
        if (catalog.Find(name) is null)
        {
            return UnknownJob(name);
        }

        if (cron?.Length > MaxInputLength || timeZone?.Length > MaxInputLength)
        {
            return TypedResults.Problem(
                $"cron and timeZone: at most {MaxInputLength} characters each (got {cron?.Length ?? 0} and {timeZone?.Length ?? 0}).",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Schedule too long");
        }

        var (times, errors) = JobFireTimes.Next(cron, timeZone, time.GetUtcNow());
        return TypedResults.Ok(new FireTimesPreview(times.Select(t => new FireTimeView(JobDisplay.Iso(t), JobDisplay.FireTimeText(text, t))).ToList(), errors));
    }

    private static ProblemHttpResult UnknownJob(string name) =>
        TypedResults.Problem($"No job is named '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "No such job");
}
