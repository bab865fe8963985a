namespace SfCompanion.WebConsole.Jobs;

/// <summary>One fire time: <paramref name="At"/> in ISO 8601 with the time zone's offset, <paramref name="Text"/> as the page shows it.</summary>
public sealed record FireTimeView(string At, string Text);
