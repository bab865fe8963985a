namespace SfCompanion.WebConsole.Components.Charts;

/// <summary>One point of a line chart over time.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Value);
