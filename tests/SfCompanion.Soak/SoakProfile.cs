using System.Globalization;

namespace SfCompanion.Soak;

/// <summary>How long and how hard a soak runs. <c>ci</c> is the two-minute profile CI runs; <c>long</c> the thirty-minute one.</summary>
internal sealed record SoakProfile
{
    public required string Name { get; init; }

    /// <summary>Chaos time per shape: load, faults, rep changes and worker kills.</summary>
    public required TimeSpan RedisChaos { get; init; }

    public required TimeSpan SqliteChaos { get; init; }

    /// <summary>Longest wait for the quiet period to converge (faults off, jobs run to completion).</summary>
    public required TimeSpan QuietTimeout { get; init; }

    /// <summary>Load generator actions per second (clicks, preference pages, one-click unsubscribes), spread over the web processes.</summary>
    public required int ActionsPerSecond { get; init; }

    /// <summary>Rep changes in the org per second.</summary>
    public required double RepChangesPerSecond { get; init; }

    /// <summary>Access token lifetime in the emulator.</summary>
    public required int TokenLifetimeSeconds { get; init; }

    public required int Leads { get; init; }

    public static SoakProfile Ci { get; } = new()
    {
        Name = "ci",
        RedisChaos = TimeSpan.FromSeconds(75),
        SqliteChaos = TimeSpan.FromSeconds(45),
        QuietTimeout = TimeSpan.FromMinutes(3),
        ActionsPerSecond = 8,
        RepChangesPerSecond = 0.5,
        TokenLifetimeSeconds = 30,
        Leads = 1000,
    };

    public static SoakProfile Long { get; } = new()
    {
        Name = "long",
        RedisChaos = TimeSpan.FromMinutes(20),
        SqliteChaos = TimeSpan.FromMinutes(10),
        QuietTimeout = TimeSpan.FromMinutes(6),
        ActionsPerSecond = 10,
        RepChangesPerSecond = 0.5,
        TokenLifetimeSeconds = 180,
        Leads = 2000,
    };

    public static SoakProfile? Find(string name) => name switch
    {
        "ci" => Ci,
        "long" => Long,
        _ => null,
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: Redis shape {RedisChaos.TotalSeconds:0} s and SQLite shape {SqliteChaos.TotalSeconds:0} s of chaos, {ActionsPerSecond} actions/s, {RepChangesPerSecond} rep changes/s, tokens expire every {TokenLifetimeSeconds} s, {Leads} leads");
}
