using Microsoft.Extensions.Options;
using SfCompanion.Sync;

namespace SfCompanion.Rules;

/// <summary>Runs the rules after a sync that changed records, unless <c>Rules:RunAfterSync</c> is false.</summary>
internal sealed class RulesSyncFollower(IOptions<RulesOptions> options) : ISyncFollower
{
    public string JobName => RulesJob.Name;

    public bool Enabled => options.Value.RunAfterSync;
}
