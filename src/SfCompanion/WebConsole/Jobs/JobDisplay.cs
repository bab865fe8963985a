using System.Globalization;
using SfCompanion.Jobs;

namespace SfCompanion.WebConsole.Jobs;

/// <summary>How the jobs pages write a job's state, runs and fire times; the live endpoint uses the same texts.</summary>
public static class JobDisplay
{
    /// <summary>The run the job is busy with: the one running, else the one queued (null when idle).</summary>
    public static async Task<JobRun?> ActiveRunAsync(JobsApi.JobView view, JobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(store);
        if (view.CurrentRun is { } current)
        {
            return current;
        }

        return view.QueuedRunId is { } queued && await store.GetRunAsync(queued, cancellationToken) is { Status: JobRunStatus.Queued } run ? run : null;
    }

    public static string Status(ConsoleText l, string? status)
    {
        ArgumentNullException.ThrowIfNull(l);
        return status switch
        {
            JobRunStatus.Queued => l["Queued", "En file d'attente"],
            JobRunStatus.Running => l["Running", "En cours"],
            JobRunStatus.Succeeded => l["Succeeded", "Réussie"],
            JobRunStatus.Failed => l["Failed", "Échouée"],
            JobRunStatus.Cancelled => l["Cancelled", "Annulée"],
            JobRunStatus.Skipped => l["Skipped", "Sautée"],
            JobRunStatus.Abandoned => l["Abandoned", "Abandonnée"],
            null => l["never run", "jamais exécutée"],
            _ => status,
        };
    }

    /// <summary>The console.css class of a run status.</summary>
    public static string StatusClass(string? status) => status switch
    {
        JobRunStatus.Succeeded => "status status-ok",
        JobRunStatus.Failed or JobRunStatus.Abandoned => "status status-bad",
        JobRunStatus.Queued or JobRunStatus.Running => "status status-run",
        null => "muted",
        _ => "status status-warn",
    };

    public static string Trigger(ConsoleText l, string trigger)
    {
        ArgumentNullException.ThrowIfNull(l);
        return trigger switch
        {
            JobTriggers.Manual => l["on request", "à la demande"],
            JobTriggers.Schedule => l["schedule", "planification"],
            JobTriggers.CatchUp => l["catch-up", "rattrapage"],
            _ => trigger,
        };
    }

    /// <summary>"7 / 70 · stage" (or "7 · stage" when the total is unknown); null before any progress.</summary>
    public static string? Progress(ConsoleText l, JobRun? run)
    {
        ArgumentNullException.ThrowIfNull(l);
        if (run is null || (run.Done == 0 && run.Total is null && run.Stage is null))
        {
            return null;
        }

        var count = run.Total is { } total ? $"{l.N(run.Done)} / {l.N(total)}" : l.N(run.Done);
        return run.Stage is { Length: > 0 } stage ? $"{count} · {stage}" : count;
    }

    /// <summary>How long a run took (or has been running, until <paramref name="now"/>).</summary>
    public static string Duration(ConsoleText l, JobRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(run);
        if (run.StartedAt is not { } started)
        {
            return "—";
        }

        var span = (run.EndedAt ?? now) - started;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        return span.TotalSeconds < 60 ? l.N(span.TotalSeconds, 1) + " s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{(int)span.TotalHours} h {span.Minutes} min";
    }

    /// <summary>The last finished run in one line: status, when, duration, API calls, errors.</summary>
    public static string LastRun(ConsoleText l, JobRun? run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(l);
        if (run is null)
        {
            return l["never run", "jamais exécutée"];
        }

        var text = $"{Status(l, run.Status)} · {l.Ago(run.EndedAt ?? run.StartedAt ?? run.QueuedAt, now)} · {Duration(l, run, now)} · {l.N(run.ApiCalls)} {l["API calls", "appels d'API"]}";
        if (run.Errors.Count > 0)
        {
            text += $" · {l.N(run.Errors.Count)} " + (run.Errors.Count == 1 ? l["error", "erreur"] : l["errors", "erreurs"]);
        }

        return text;
    }

    /// <summary>The next fire time, in UTC and in the job's time zone; "paused" or "never" otherwise.</summary>
    public static string NextFire(ConsoleText l, JobsApi.JobView view)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(view);
        if (view.Paused)
        {
            return l["paused", "en pause"];
        }

        if (view.NextFireAt is not { } next)
        {
            return l["never", "jamais"];
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(view.TimeZone, out var zone)
            ? FireTimeText(l, TimeZoneInfo.ConvertTime(next, zone)) + " " + view.TimeZone
            : ConsoleText.When(next);
    }

    /// <summary>A fire time in its zone's local time with the zone's offset, e.g. "Mon 2026-11-30 09:00:00 (UTC−05:00)".</summary>
    public static string FireTimeText(ConsoleText l, DateTimeOffset local)
    {
        ArgumentNullException.ThrowIfNull(l);
        return local.ToString("ddd yyyy-MM-dd HH:mm:ss", l.Culture) + " (UTC" + local.ToString("zzz", CultureInfo.InvariantCulture) + ")";
    }

    /// <summary>The machine-readable form of a fire time (ISO 8601 with the offset), for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset local) => local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The live view of a job (see <see cref="JobLiveView"/>).</summary>
    public static async Task<JobLiveView> LiveAsync(ConsoleText l, JobsApi.JobView view, JobStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(view);
        var active = await ActiveRunAsync(view, store, cancellationToken);
        return new JobLiveView(
            view.Name,
            active is not null,
            active?.Id,
            active?.Status,
            active?.Done ?? 0,
            active?.Total,
            State(l, view, active),
            Progress(l, active),
            view.LastRun?.Status,
            LastRun(l, view.LastRun, now),
            NextFire(l, view));
    }

    /// <summary>What the job is doing: the status of its active run, else idle or paused.</summary>
    public static string State(ConsoleText l, JobsApi.JobView view, JobRun? active)
    {
        ArgumentNullException.ThrowIfNull(l);
        ArgumentNullException.ThrowIfNull(view);
        if (active is not null)
        {
            return Status(l, active.Status);
        }

        return view.Paused ? l["Paused", "En pause"] : l["Idle", "Inactive"];
    }
}
