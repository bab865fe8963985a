using Microsoft.Extensions.Options;
using SfCompanion.Rules;
using SfCompanion.Sync;

namespace SfCompanion.Scoring;

/// <summary>Scores again after a sync that changed records (<c>Rules:RunAfterSync</c> covers rules and routines).</summary>
internal sealed class ScoringSyncFollower(IOptions<RulesOptions> options) : ISyncFollower
{
    public string JobName => ScoringJob.Name;

    public bool Enabled => options.Value.RunAfterSync;
}
