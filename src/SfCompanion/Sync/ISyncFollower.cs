namespace SfCompanion.Sync;

/// <summary>
/// A job to run after a sync that changed records (e.g. the rules recompute flags from the new values), registered by
/// its capability with <c>services.AddSingleton&lt;ISyncFollower&gt;(…)</c>.
/// </summary>
public interface ISyncFollower
{
    /// <summary>The job's name in the jobs catalog.</summary>
    string JobName { get; }

    /// <summary>Whether to ask for a run now (e.g. an option turns it off).</summary>
    bool Enabled { get; }
}
