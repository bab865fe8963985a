using SfCompanion.Jobs;

namespace SfCompanion.Writeback;

/// <summary>How a capability that queued values asks for them to land now rather than at the writeback's next slot.</summary>
public static class WritebackRequests
{
    /// <summary>
    /// Requests a run of the <c>writeback</c> job (the one writer to Salesforce, under its own lease). A refusal (in
    /// the result's conflict) means a run is already queued or running: the values are in the outbox either way.
    /// Null when no writeback job is registered.
    /// </summary>
    public static async Task<RunRequestResult?> RequestWritebackAsync(this JobControl control, JobCatalog catalog, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Find(WritebackJob.Name) is { } writeback ? await control.RequestRunAsync(writeback, cancellationToken) : null;
    }
}
