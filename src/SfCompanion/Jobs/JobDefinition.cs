namespace SfCompanion.Jobs;

/// <summary>A job as registered in code: its name, type and default schedule.</summary>
public sealed record JobDefinition(string Name, Type JobType, string DefaultCron, string DefaultTimeZone, string? Description);
