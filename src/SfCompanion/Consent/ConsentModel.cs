namespace SfCompanion.Consent;

/// <summary>The channels a person can consent to or object to. <see cref="Prospection"/> covers every channel at once.</summary>
public static class ConsentChannels
{
    public const string Email = "email";

    public const string Phone = "phone";

    public const string Sms = "sms";

    /// <summary>All prospection: an objection here stops every channel, whatever each channel's own state.</summary>
    public const string Prospection = "prospection";

    public static IReadOnlyList<string> All { get; } = [Email, Phone, Sms, Prospection];

    public static bool IsKnown(string? channel) => channel is not null && All.Contains(channel, StringComparer.Ordinal);
}

/// <summary>What an event does.</summary>
public static class ConsentActions
{
    public const string OptIn = "opt-in";

    public const string OptOut = "opt-out";

    /// <summary>Not a change: Salesforce showed a state the proof does not support, and the proof was kept.</summary>
    public const string Conflict = "conflict";

    public static bool IsChange(string? action) => action is OptIn or OptOut;
}

/// <summary>Where an event comes from.</summary>
public static class ConsentSources
{
    /// <summary>The preference page (a POST from its form).</summary>
    public const string Page = "page";

    /// <summary>RFC 8058 one-click unsubscribe (a mail client's POST).</summary>
    public const string OneClick = "one-click";

    /// <summary>A confirmation link (double opt-in, re-opt-in campaign): the confirm button's POST.</summary>
    public const string ConfirmationLink = "confirmation-link";

    /// <summary>A change made in Salesforce (e.g. a rep ticked "Email Opt Out"), found in the mirror after a sync.</summary>
    public const string Salesforce = "salesforce";

    /// <summary>Imported by an admin through the API (e.g. consents collected elsewhere).</summary>
    public const string AdminImport = "admin-import";

    public static IReadOnlyList<string> All { get; } = [Page, OneClick, ConfirmationLink, Salesforce, AdminImport];
}

/// <summary>
/// One entry of a subject's consent log: the proof. Append-only; the only removals are erasure on request and the
/// retention job, which keep a minimal suppression record instead.
/// </summary>
public sealed record ConsentEvent
{
    /// <summary>The Salesforce record id of the lead or contact.</summary>
    public required string Subject { get; init; }

    /// <summary>One of <see cref="ConsentChannels"/>.</summary>
    public required string Channel { get; init; }

    /// <summary>What the consent is for (e.g. <c>marketing</c>).</summary>
    public required string Purpose { get; init; }

    /// <summary>One of <see cref="ConsentActions"/>.</summary>
    public required string Action { get; init; }

    /// <summary>One of <see cref="ConsentSources"/>.</summary>
    public required string Source { get; init; }

    /// <summary>When the person acted (for Salesforce changes: the record's modification time).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>When SfCompanion recorded it.</summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Double opt-in: the address owner confirmed through a link sent to that address.</summary>
    public bool DoubleOptIn { get; init; }

    /// <summary>The network the request came from, truncated (IPv4 /24, IPv6 /48).</summary>
    public string? IpPrefix { get; init; }

    /// <summary>Salted hash of the full address: shows two events came from the same address without keeping it.</summary>
    public string? IpHash { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The signed token's non-secret id (key id, recipient, purpose), never the token itself.</summary>
    public string? TokenId { get; init; }

    public string? Note { get; init; }
}

/// <summary>The current state of one channel for a subject, derived from the log.</summary>
public sealed record ChannelConsent
{
    /// <summary><see cref="ConsentActions.OptIn"/> or <see cref="ConsentActions.OptOut"/>.</summary>
    public required string Status { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Source { get; init; }

    /// <summary>Sequence of the event in the subject's log.</summary>
    public long Sequence { get; init; }

    public DateTimeOffset? DoubleOptInAt { get; init; }

    public bool OptedOut => Status == ConsentActions.OptOut;
}

/// <summary>The current consent state of a subject (document kind <c>consent-state</c>, key = subject id).</summary>
public sealed record ConsentState
{
    public required string Subject { get; init; }

    public Dictionary<string, ChannelConsent> Channels { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The last time the person did something (any consent event of theirs).</summary>
    public DateTimeOffset LastInteractionAt { get; init; }

    /// <summary>The last time a channel changed (written to <c>Sfc_Consent_Changed__c</c>).</summary>
    public DateTimeOffset? LastChangeAt { get; init; }

    /// <summary>Per channel, the Salesforce modification time of the last conflict recorded (so each is recorded once).</summary>
    public Dictionary<string, DateTimeOffset> ConflictsSeen { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Whether the person may not be contacted on <paramref name="channel"/>: its own objection or an objection to all prospection.</summary>
    public bool IsOptedOut(string channel) =>
        (Channels.TryGetValue(channel, out var own) && own.OptedOut)
        || (channel != ConsentChannels.Prospection && Channels.TryGetValue(ConsentChannels.Prospection, out var all) && all.OptedOut);

    /// <summary>Whether there is positive proof for the channel (an opt-in not overridden by an objection to all prospection).</summary>
    public bool IsOptedIn(string channel) => !IsOptedOut(channel) && Channels.TryGetValue(channel, out var own) && own.Status == ConsentActions.OptIn;
}

/// <summary>A change asked for: opt in or out of a channel.</summary>
public sealed record ConsentChange(string Channel, string Action, bool DoubleOptIn = false);

/// <summary>Who asked and how, for the proof.</summary>
public sealed record ConsentContext(string Source, DateTimeOffset? At = null, System.Net.IPAddress? Ip = null, string? UserAgent = null, string? TokenId = null, string? Note = null, string? Purpose = null);
