using SfCompanion.Consent;

namespace SfCompanion.WebConsole.Consent;

/// <summary>One data row of an uploaded consent CSV (line 2 is the first after the header) and what is wrong with it.</summary>
public sealed record ConsentCsvRow(int Line, ConsentApi.ImportedEvent Event, IReadOnlyList<string> Problems);
