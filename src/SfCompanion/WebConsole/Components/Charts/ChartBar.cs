namespace SfCompanion.WebConsole.Components.Charts;

/// <summary>One bar: its label, its value, the value as written next to it, and whether it is drawn in the second style.</summary>
public sealed record ChartBar(string Label, double Value, string? Display = null, bool Alternate = false);
