namespace SfCompanion.Emulator.DemoData;

/// <summary>
/// Fills an org with a deterministic French B2B history: users, accounts with NAF codes, campaigns with member statuses,
/// leads (with some duplicates and opt-outs), contacts, campaign members, three years of opportunities and tasks.
/// </summary>
/// <remarks>
/// Records are inserted in dependency order (User, Account, Campaign, CampaignMemberStatus, Lead, Contact, CampaignMember,
/// Opportunity, Task); reference fields hold Ids the sink returned earlier. The same options always produce the same records.
/// To keep a million leads cheap, one field dictionary per object type is reused from record to record: the sink must copy
/// the values it keeps before returning. Values that repeat (names, titles, cities, company figures, dates) are shared instances.
/// </remarks>
public static class DemoDataGenerator
{
    public static DemoDataSummary Generate(IDemoDataSink sink, DemoDataOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Leads, DemoDataOptions.MinLeads, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Leads, DemoDataOptions.MaxLeads, nameof(options));
        if (options.Now == default)
        {
            throw new ArgumentException("DemoDataOptions.Now must be set (the generated history ends at that date).", nameof(options));
        }

        return new DemoDataRun(sink, options, progress).Run();
    }
}
