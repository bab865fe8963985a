namespace SfCompanion.WebConsole.Jobs;

/// <summary>The live preview of a schedule being edited: its next fire times, or the problems per field.</summary>
public sealed record FireTimesPreview(IReadOnlyList<FireTimeView> FireTimes, IReadOnlyDictionary<string, string[]> Errors);
