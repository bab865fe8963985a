namespace SfCompanion.WebConsole.Jobs;

/// <summary>
/// What the jobs pages update while a run is queued or running, with the texts already in the reader's language:
/// <paramref name="Active"/> is false once nothing is queued or running (the script stops polling).
/// </summary>
public sealed record JobLiveView(
    string Name,
    bool Active,
    string? RunId,
    string? Status,
    long Done,
    long? Total,
    string State,
    string? Progress,
    string? LastRunStatus,
    string LastRun,
    string NextFire);
