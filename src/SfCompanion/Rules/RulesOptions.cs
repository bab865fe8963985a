using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Rules;

/// <summary>The <c>Rules</c> section: limits of rule computations and what follows a run.</summary>
public sealed class RulesOptions : ISectionOptions
{
    public static string SectionName => "Rules";

    /// <summary>Longest a rule (or a preview) may compute before it is stopped with an error; other rules still run.</summary>
    [Range(1, 3600)]
    public int TimeBudgetSeconds { get; set; } = 120;

    /// <summary>Sample records a preview returns at most.</summary>
    [Range(0, 500)]
    public int MaxSample { get; set; } = 100;

    /// <summary>Ask for a writeback run when a rules run queued values, so flags land within the minute.</summary>
    public bool WritebackAfterRun { get; set; } = true;

    /// <summary>Ask for a rules run after a sync that changed records (flags follow the org's changes, not only the daily run).</summary>
    public bool RunAfterSync { get; set; } = true;
}
