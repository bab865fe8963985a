using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Demo;

/// <summary>
/// The demo's writeback round, a small real computation over the mirror: when a person has opted out of email
/// on one record, every other lead or contact with the same email address is opted out too (duplicates are
/// common, and an opt-out must hold for the person, not for one record). Values already true cost no call.
/// </summary>
public sealed class DuplicateOptOutPropagation(Mirror mirror, Outbox outbox)
{
    public const string Source = "optout-propagation";

    /// <summary>Enqueues <c>HasOptedOutOfEmail = true</c> on every lead/contact sharing an email with an opted-out record. Returns how many values were enqueued.</summary>
    public async Task<int> EnqueueAsync(CancellationToken cancellationToken = default)
    {
        var values = new List<DesiredValue>();
        foreach (var type in new[] { "Lead", "Contact" })
        {
            await foreach (var record in mirror.ListAsync(type, cancellationToken))
            {
                if (record["HasOptedOutOfEmail"] != "true" || record["Email"] is not { } email)
                {
                    continue;
                }

                foreach (var sameEmailType in new[] { "Lead", "Contact" })
                {
                    foreach (var other in await mirror.FindAsync(sameEmailType, "Email", email, cancellationToken: cancellationToken))
                    {
                        values.Add(new DesiredValue(sameEmailType, other.Id, "HasOptedOutOfEmail", true, Source, $"{email} opted out on {type} {record.Id}"));
                    }
                }
            }
        }

        await outbox.EnqueueAsync(values, cancellationToken);
        return values.Count;
    }
}
