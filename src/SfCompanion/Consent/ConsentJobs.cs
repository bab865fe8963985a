using SfCompanion.Jobs;

namespace SfCompanion.Consent;

/// <summary>Imports opt-outs made in Salesforce and enforces monotonic opt-out, from the mirror the sync keeps current.</summary>
public sealed class ConsentSalesforceImportJob(ConsentSalesforceImport import) : ISfcJob
{
    public const string Name = "consent-salesforce-import";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await import.RunAsync(done => context.ReportProgress(done, null, "reading leads and contacts"), cancellationToken);
        context.ReportProgress(result.Examined, result.Examined, $"{result.Imported} opt-out(s) imported, {result.Conflicts} conflict(s), {result.Suppressed} suppressed record(s) re-opted out");
        if (result.NotSynced.Count > 0)
        {
            context.Warn($"Opt-outs made in Salesforce in {string.Join(", ", result.NotSynced)} are not imported: the sync does not read these fields. Add them to the object's Fields in Sync:Objects.");
        }
    }
}

/// <summary>Anonymises consent data of subjects without interaction for <c>Consent:RetentionDays</c>.</summary>
public sealed class ConsentRetentionJob(ConsentRetention retention) : ISfcJob
{
    public const string Name = "consent-retention";

    public async Task RunAsync(JobRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await retention.RunAsync(done => context.ReportProgress(done, null, "anonymising"), cancellationToken);
        context.ReportProgress(result.Examined, result.Examined, $"{result.Anonymised} subject(s) anonymised, {result.Suppressions} suppression record(s), {result.Flagged} flagged for review");
    }
}
