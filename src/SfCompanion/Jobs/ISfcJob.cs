namespace SfCompanion.Jobs;

/// <summary>
/// A scheduled capability job. Keep it thin: call the capability's service (which tests call directly) and report
/// progress through the context. Register with <see cref="JobsExtensions.AddSfcJob{TJob}"/>; resolved in a DI scope per run.
/// </summary>
public interface ISfcJob
{
    /// <summary>Runs once. The token is signalled on shutdown or when the run's lease is lost: stop promptly and let
    /// <see cref="OperationCanceledException"/> propagate (the run is then recorded as Cancelled with its progress).
    /// Any other exception records the run as Failed with the error.</summary>
    Task RunAsync(JobRunContext context, CancellationToken cancellationToken);
}
