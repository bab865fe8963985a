namespace SfCompanion.Emulator.DemoData;

/// <summary>What to generate. The same options (seed, size and <see cref="Now"/>) always produce the same records.</summary>
public sealed class DemoDataOptions
{
    public const int MinLeads = 1_000;

    public const int MaxLeads = 1_000_000;

    /// <summary>Number of leads, from <see cref="MinLeads"/> to <see cref="MaxLeads"/>; every other object scales with it.</summary>
    public int Leads { get; set; } = 10_000;

    public int Seed { get; set; } = 42;

    /// <summary>The generation date: history covers the three years before it, open opportunities and planned campaigns come after it.
    /// Required (take it from the host's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset Now { get; set; }
}
