using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SfCompanion.Storage;

namespace SfCompanion.Jobs;

/// <summary>
/// Schedules, per-job state and run history in the store: kinds <c>job-schedule</c>, <c>job-state</c>, <c>job-run</c>
/// (indexed by status), and the append-only log <c>job-runs</c> with every finished run.
/// </summary>
public sealed class JobStore(IDocumentStore documents, ILogStore logs)
{
    public const string ScheduleKind = "job-schedule";
    public const string StateKind = "job-state";
    public const string RunKind = "job-run";
    public const string RunLog = "job-runs";
    private const string StatusIndex = "status";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The stored schedule, or the registration's defaults.</summary>
    public async Task<JobSchedule> GetScheduleAsync(JobDefinition job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return await documents.GetAsync(ScheduleKind, job.Name, cancellationToken) is { } doc
            ? JsonSerializer.Deserialize<JobSchedule>(doc.Data, Json)!
            : new JobSchedule { Job = job.Name, Cron = job.DefaultCron, TimeZone = job.DefaultTimeZone };
    }

    public Task SaveScheduleAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return documents.PutAsync(ScheduleKind, new DocumentWrite(schedule.Job, JsonSerializer.Serialize(schedule, Json)), cancellationToken);
    }

    public async Task<JobState> GetStateAsync(string job, CancellationToken cancellationToken = default) =>
        (await GetStateDocumentAsync(job, cancellationToken)).State;

    /// <summary>
    /// Applies <paramref name="change"/> to the job's state with optimistic concurrency, re-reading on conflict.
    /// Returning null from <paramref name="change"/> leaves the state as it is. Returns the state written (or null).
    /// </summary>
    public async Task<JobState?> UpdateStateAsync(string job, Func<JobState, JobState?> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; ; attempt++)
        {
            var (state, version) = await GetStateDocumentAsync(job, cancellationToken);
            if (change(state) is not { } updated)
            {
                return null;
            }

            try
            {
                await documents.PutAsync(StateKind, new DocumentWrite(job, JsonSerializer.Serialize(updated, Json), version), cancellationToken);
                return updated;
            }
            catch (ConcurrencyConflictException) when (attempt < 20)
            {
                // Someone else changed it first: decide again on the fresh copy.
            }
        }
    }

    private async Task<(JobState State, long Version)> GetStateDocumentAsync(string job, CancellationToken cancellationToken) =>
        await documents.GetAsync(StateKind, job, cancellationToken) is { } doc
            ? (JsonSerializer.Deserialize<JobState>(doc.Data, Json)!, doc.Version)
            : (new JobState { Job = job }, 0);

    /// <summary>A run id that sorts newest first among the job's runs: <c>{job}.{inverted ticks}.{random}</c>.</summary>
    public static string NewRunId(string job, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{job}.{long.MaxValue - now.UtcTicks:D19}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    public static string? JobOfRunId(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var dot = runId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? runId[..dot] : null;
    }

    public async Task<JobRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        await documents.GetAsync(RunKind, runId, cancellationToken) is { } doc ? JsonSerializer.Deserialize<JobRun>(doc.Data, Json) : null;

    public Task SaveRunAsync(JobRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return documents.PutAsync(RunKind, new DocumentWrite(run.Id, JsonSerializer.Serialize(run, Json), Index: [new IndexTerm(StatusIndex, run.Status)]), cancellationToken);
    }

    public Task<bool> DeleteRunAsync(string runId, CancellationToken cancellationToken = default) =>
        documents.DeleteAsync(RunKind, runId, cancellationToken: cancellationToken);

    /// <summary>Saves a run that has ended and appends it to the <c>job-runs</c> log (the audit trail).</summary>
    public async Task SaveFinishedRunAsync(JobRun run, CancellationToken cancellationToken = default)
    {
        await SaveRunAsync(run, cancellationToken);
        await logs.AppendAsync(RunLog, [JsonSerializer.Serialize(run, Json)], cancellationToken);
    }

    /// <summary>A job's runs, newest first; pass the last id of a page as <paramref name="before"/> to get older ones.</summary>
    public async Task<(IReadOnlyList<JobRun> Runs, string? Next)> ListRunsAsync(string job, int limit, string? before, CancellationToken cancellationToken = default)
    {
        var page = await documents.ListAsync(RunKind, keyPrefix: job + ".", afterKey: before, limit: limit, cancellationToken: cancellationToken);
        var runs = page.Items.Select(d => JsonSerializer.Deserialize<JobRun>(d.Data, Json)!).ToList();
        return (runs, page.NextAfterKey);
    }

    /// <summary>Runs currently recorded with <paramref name="status"/>, all jobs.</summary>
    public async Task<IReadOnlyList<JobRun>> FindRunsAsync(string status, CancellationToken cancellationToken = default)
    {
        var docs = await documents.FindAsync(RunKind, new IndexTerm(StatusIndex, status), limit: 1000, cancellationToken);
        return docs.Select(d => JsonSerializer.Deserialize<JobRun>(d.Data, Json)!).Where(r => r.Status == status).ToList();
    }
}
