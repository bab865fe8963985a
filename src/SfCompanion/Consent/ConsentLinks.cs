using Microsoft.Extensions.Options;
using SfCompanion.Recipients;

namespace SfCompanion.Consent;

/// <summary>The consent links of one recipient, and the headers that go with them in an email.</summary>
public sealed record RecipientConsentLinks(string Preferences, string OneClickUnsubscribe, string ListUnsubscribeHeader, string ListUnsubscribePostHeader);

/// <summary>Builds consent links from <c>Consent:PublicBaseUrl</c> (or the given base when it is not set).</summary>
public sealed class ConsentLinks(RecipientTokens tokens, IOptions<ConsentOptions> options, TimeProvider time)
{
    private string Base(string? requestBase) =>
        (options.Value.PublicBaseUrl ?? requestBase ?? throw new InvalidOperationException("Set Consent:PublicBaseUrl to the public address of the consent pages.")).TrimEnd('/');

    public RecipientConsentLinks For(string recipientId, string? requestBase = null)
    {
        var token = tokens.Issue(recipientId);
        var root = Base(requestBase);
        var oneClick = root + "/u/" + token;
        return new RecipientConsentLinks(root + "/p/" + token, oneClick, "<" + oneClick + ">", "List-Unsubscribe=One-Click");
    }

    /// <summary>A signed double opt-in link for one channel, valid for <paramref name="lifetime"/> (default <c>Consent:ConfirmationLinkDays</c>).</summary>
    public (string Url, DateTimeOffset ExpiresAt) Confirmation(string recipientId, string channel, TimeSpan? lifetime = null, string? requestBase = null)
    {
        if (!ConsentChannels.IsKnown(channel))
        {
            throw new ArgumentException($"Unknown channel '{channel}'.", nameof(channel));
        }

        var life = lifetime ?? TimeSpan.FromDays(options.Value.ConfirmationLinkDays);
        var token = tokens.IssueFor(recipientId, ConsentPages.ConfirmPurposePrefix + channel, life);
        return (Base(requestBase) + "/c/" + token, time.GetUtcNow() + life);
    }
}
