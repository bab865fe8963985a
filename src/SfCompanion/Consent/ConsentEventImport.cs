namespace SfCompanion.Consent;

/// <summary>
/// Consent events collected elsewhere (a paper form, another tool), checked and recorded with the source
/// <c>admin-import</c>: the rules of <c>POST /api/consent/import</c> and of the console's CSV upload.
/// </summary>
public static class ConsentEventImport
{
    /// <summary>Columns of the CSV form of an import, in order (a header row names them).</summary>
    public static IReadOnlyList<string> CsvColumns { get; } = ["subject", "channel", "action", "at", "purpose", "note"];

    /// <summary>What is wrong with one event, each problem naming the field and its value; empty when it can be recorded.</summary>
    public static IReadOnlyList<string> Problems(ConsentApi.ImportedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(e.Subject) || e.Subject.Length is not (15 or 18))
        {
            problems.Add($"subject = '{e.Subject}': must be a lead or contact id (15 or 18 characters).");
        }

        if (!ConsentChannels.IsKnown(e.Channel))
        {
            problems.Add($"channel = '{e.Channel}': must be one of {string.Join(", ", ConsentChannels.All)}.");
        }

        if (!ConsentActions.IsChange(e.Action))
        {
            problems.Add($"action = '{e.Action}': must be '{ConsentActions.OptIn}' or '{ConsentActions.OptOut}'.");
        }

        return problems;
    }

    /// <summary>Records the events, oldest first; nothing is checked here (see <see cref="Problems"/>).</summary>
    public static async Task<ConsentApi.ImportResult> RecordAsync(ConsentService consent, IReadOnlyList<ConsentApi.ImportedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(events);
        var recorded = 0;
        foreach (var e in events.OrderBy(e => e.At ?? DateTimeOffset.MinValue))
        {
            var outcome = await consent.ApplyAsync(e.Subject!, [new ConsentChange(e.Channel!, e.Action!)],
                new ConsentContext(ConsentSources.AdminImport, At: e.At, Note: e.Note, Purpose: e.Purpose), cancellationToken);
            recorded += outcome.Recorded.Count;
        }

        return new ConsentApi.ImportResult(events.Select(e => e.Subject).Distinct(StringComparer.Ordinal).Count(), recorded);
    }
}
