namespace SfCompanion.Jobs;

/// <summary>Run states. Terminal: Succeeded, Failed, Cancelled, Skipped, Abandoned.</summary>
public static class JobRunStatus
{
    /// <summary>Requested through the API, waiting for a worker.</summary>
    public const string Queued = "Queued";

    public const string Running = "Running";

    public const string Succeeded = "Succeeded";

    public const string Failed = "Failed";

    /// <summary>Stopped by shutdown (or by losing its lease) before it finished.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>Not run: another run of the same job held the lease.</summary>
    public const string Skipped = "Skipped";

    /// <summary>Found Running at start with its lease expired: the process running it stopped without recording an end.</summary>
    public const string Abandoned = "Abandoned";

    public static bool IsTerminal(string status) => status is not (Queued or Running);
}
