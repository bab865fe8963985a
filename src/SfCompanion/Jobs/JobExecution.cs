namespace SfCompanion.Jobs;

/// <summary>One run to execute. <see cref="RunId"/> is set for runs queued through the API.</summary>
public sealed record JobExecution(string Job, string Trigger, string? RunId = null, DateTimeOffset? ScheduledFireAt = null);
