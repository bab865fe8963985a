namespace SfCompanion.Jobs;

/// <summary>Result of a run request.</summary>
public sealed record RunRequestResult(JobRun? Run, string? Conflict);
