using Microsoft.AspNetCore.Components;
using SfCompanion.Admin;
using SfCompanion.Jobs;

namespace SfCompanion.WebConsole.Components.Pages;

/// <summary>
/// Base of the pages that run, pause or resume jobs (jobs, a job, sync, writeback): one form, <c>job-actions</c>, whose
/// buttons name the job (<c>RunJob</c>, <c>PauseJob</c> or <c>ResumeJob</c>). Running needs marketer, pausing and
/// resuming admin, checked here whatever the page showed.
/// </summary>
public abstract class JobActionsPage : ConsolePage
{
    public const string FormName = "job-actions";

    [Inject]
    protected JobCatalog Catalog { get; set; } = default!;

    [Inject]
    protected JobControl Control { get; set; } = default!;

    [SupplyParameterFromForm(FormName = FormName)]
    public string? RunJob { get; set; }

    [SupplyParameterFromForm(FormName = FormName)]
    public string? PauseJob { get; set; }

    [SupplyParameterFromForm(FormName = FormName)]
    public string? ResumeJob { get; set; }

    /// <summary>What the last action did (shown in a status notice).</summary>
    protected string? ActionNotice { get; set; }

    /// <summary>Why the last action was refused (shown in an alert).</summary>
    protected string? ActionError { get; set; }

    /// <summary>Reads the page's data again after an action.</summary>
    protected abstract Task LoadAsync();

    protected async Task ActAsync()
    {
        var ct = HttpContext.RequestAborted;
        if (!string.IsNullOrEmpty(RunJob))
        {
            if (Forbid(SfcRoles.Marketer) || Find(RunJob) is not { } job)
            {
                return;
            }

            var result = await Control.RequestRunAsync(job, ct);
            if (result.Run is { } run)
            {
                ActionNotice = L[$"Run of {job.Name} requested ({run.Id}); a worker starts it shortly.", $"Exécution de {job.Name} demandée ({run.Id}) ; un processus la démarre sous peu."];
            }
            else
            {
                ActionError = L[$"{job.Name} was not started: it is already running or queued.", $"{job.Name} n'a pas été lancée : elle est déjà en cours ou en file d'attente."] + " " + result.Conflict;
                HttpContext.Response.StatusCode = StatusCodes.Status409Conflict;
            }
        }
        else if (!string.IsNullOrEmpty(PauseJob) || !string.IsNullOrEmpty(ResumeJob))
        {
            var paused = !string.IsNullOrEmpty(PauseJob);
            if (Forbid(SfcRoles.Admin) || Find(paused ? PauseJob! : ResumeJob!) is not { } job)
            {
                return;
            }

            await Control.SetPausedAsync(job, paused, ct);
            ActionNotice = paused
                ? L[$"{job.Name} is paused: no scheduled run until it is resumed (runs on request still work).", $"{job.Name} est en pause : plus d'exécution planifiée jusqu'à la reprise (les exécutions à la demande restent possibles)."]
                : L[$"{job.Name} is resumed: its next scheduled run is shown below.", $"{job.Name} a repris : sa prochaine exécution planifiée est indiquée ci-dessous."];
        }
        else
        {
            ActionError = L["No action chosen: use one of the buttons.", "Aucune action choisie : utilisez l'un des boutons."];
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await LoadAsync();
    }

    private JobDefinition? Find(string name)
    {
        if (name.Length <= 100 && Catalog.Find(name) is { } job)
        {
            return job;
        }

        var shown = name.Length > 100 ? name[..100] + "…" : name;
        ActionError = L[$"Job: no job is named '{shown}'. Jobs: {string.Join(", ", Catalog.Jobs.Select(j => j.Name))}.", $"Tâche : aucune tâche ne s'appelle « {shown} ». Tâches : {string.Join(", ", Catalog.Jobs.Select(j => j.Name))}."];
        HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        return null;
    }
}
