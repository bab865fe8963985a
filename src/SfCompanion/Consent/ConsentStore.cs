using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Consent;

/// <summary>A minimal record kept after erasure or expiry so a person is not contacted again: a salted hash, a date, a reason.</summary>
public sealed record SuppressionRecord(string Hash, DateTimeOffset At, string Reason);

/// <summary>
/// Where consent lives: one append-only log per subject (<c>consent:{id}</c>, the proof), the current state per subject
/// (document kind <c>consent-state</c>) and suppression records (kind <c>consent-suppression</c>, key = salted hash).
/// A log per subject lets erasure remove exactly one person's events without rewriting anyone else's.
/// </summary>
public sealed class ConsentStore
{
    public const string StateKind = "consent-state";
    public const string SuppressionKind = "consent-suppression";
    private const string SaltKind = "consent-salt";
    private const string SuppressionMarkKind = "consent-suppression-mark";
    private const string SuppressionMarkKey = "latest";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IDocumentStore _documents;
    private readonly ILogStore _logs;
    private readonly byte[] _salt;

    public ConsentStore(IDocumentStore documents, ILogStore logs, IOptions<ConsentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _documents = documents;
        _logs = logs;
        _salt = string.IsNullOrEmpty(options.Value.HashSalt) ? LoadOrCreateSalt(documents) : Convert.FromBase64String(options.Value.HashSalt);
    }

    public static string LogName(string subject) => "consent:" + subject;

    private static byte[] LoadOrCreateSalt(IDocumentStore documents)
    {
        // Start-up path, like the token keys: the store is local or already connected.
        if (documents.GetAsync(SaltKind, "generated").GetAwaiter().GetResult() is { } existing)
        {
            return ReadSalt(existing.Data);
        }

        var salt = RandomNumberGenerator.GetBytes(32);
        try
        {
            documents.PutAsync(SaltKind, new DocumentWrite("generated", JsonSerializer.Serialize(Convert.ToBase64String(salt)), ExpectedVersion: 0)).GetAwaiter().GetResult();
            return salt;
        }
        catch (ConcurrencyConflictException)
        {
            return ReadSalt(documents.GetAsync(SaltKind, "generated").GetAwaiter().GetResult()!.Data);
        }
    }

    /// <summary>
    /// The stored salt is a JSON string: read it as JSON, since the serializer escapes '+' and '/' (\u002B), which a
    /// plain trim of the quotes would hand to the base64 decoder as they are.
    /// </summary>
    private static byte[] ReadSalt(string data) => Convert.FromBase64String(JsonSerializer.Deserialize<string>(data) ?? "");

    /// <summary>Salted SHA-256 (HMAC) of a value, hex; emails are trimmed and lower-cased first.</summary>
    public string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(value.Trim().ToLowerInvariant())));
    }

    /// <summary>The truncated network (IPv4 /24, IPv6 /48) and a short salted hash of the full address.</summary>
    public (string Prefix, string Hash)? DescribeIp(IPAddress? ip)
    {
        if (ip is null)
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var bytes = ip.GetAddressBytes();
        var keep = ip.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        return (new IPAddress(bytes) + "/" + (keep * 8).ToString(System.Globalization.CultureInfo.InvariantCulture), Hash(ip.ToString())[..16]);
    }

    public async Task<(ConsentState? State, long Version)> GetStateAsync(string subject, CancellationToken cancellationToken)
    {
        var doc = await _documents.GetAsync(StateKind, subject, cancellationToken);
        return doc is null ? (null, 0) : (JsonSerializer.Deserialize<ConsentState>(doc.Data, Json), doc.Version);
    }

    /// <summary>Writes the state if it is still at <paramref name="expectedVersion"/> (0 = new).</summary>
    /// <exception cref="ConcurrencyConflictException">Another request changed it first.</exception>
    public Task PutStateAsync(ConsentState state, long expectedVersion, CancellationToken cancellationToken) =>
        _documents.PutAsync(StateKind, new DocumentWrite(state.Subject, JsonSerializer.Serialize(state, Json), expectedVersion), cancellationToken);

    public Task<bool> DeleteStateAsync(string subject, CancellationToken cancellationToken) =>
        _documents.DeleteAsync(StateKind, subject, cancellationToken: cancellationToken);

    /// <summary>Appends events durably; returns the sequence of the first.</summary>
    public Task<long> AppendAsync(string subject, IReadOnlyList<ConsentEvent> events, CancellationToken cancellationToken) =>
        _logs.AppendAsync(LogName(subject), events.Select(e => JsonSerializer.Serialize(e, Json)).ToList(), cancellationToken);

    public async Task<IReadOnlyList<ConsentEvent>> ReadEventsAsync(string subject, CancellationToken cancellationToken)
    {
        var events = new List<ConsentEvent>();
        await foreach (var entry in _logs.ReadAllAsync(LogName(subject), cancellationToken: cancellationToken))
        {
            events.Add(JsonSerializer.Deserialize<ConsentEvent>(entry.Payload, Json)!);
        }

        return events;
    }

    /// <summary>Removes every event of a subject (erasure, retention).</summary>
    public Task<long> DeleteEventsAsync(string subject, CancellationToken cancellationToken) =>
        _logs.TrimAsync(LogName(subject), DateTimeOffset.MaxValue, cancellationToken);

    /// <summary>Every subject with a state, page by page.</summary>
    public async IAsyncEnumerable<ConsentState> ListStatesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var doc in _documents.ListAllAsync(StateKind, 500, cancellationToken))
        {
            yield return JsonSerializer.Deserialize<ConsentState>(doc.Data, Json)!;
        }
    }

    /// <summary>Keeps a suppression record for a raw value (an email address or a record id); stores only its salted hash.</summary>
    public async Task<string> SuppressAsync(string value, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        var hash = Hash(value);
        await _documents.PutAsync(SuppressionKind, new DocumentWrite(hash, JsonSerializer.Serialize(new SuppressionRecord(hash, at, reason), Json)), cancellationToken);
        // After the record: whoever sees the mark move finds the record.
        await _documents.PutAsync(SuppressionMarkKind, new DocumentWrite(SuppressionMarkKey, "{}"), cancellationToken);
        return hash;
    }

    public async Task<bool> IsSuppressedAsync(string value, CancellationToken cancellationToken) =>
        await _documents.GetAsync(SuppressionKind, Hash(value), cancellationToken) is not null;

    /// <summary>When <paramref name="value"/> was last suppressed (erased, or its data expired), or null.</summary>
    public async Task<DateTimeOffset?> SuppressedAtAsync(string value, CancellationToken cancellationToken) =>
        await _documents.GetAsync(SuppressionKind, Hash(value), cancellationToken) is { } doc
            ? JsonSerializer.Deserialize<SuppressionRecord>(doc.Data, Json)?.At
            : null;

    /// <summary>
    /// A number that changes with every suppression (0 before the first): one cheap read tells a reader whether anyone
    /// was erased since it last looked.
    /// </summary>
    public async Task<long> SuppressionMarkAsync(CancellationToken cancellationToken) =>
        (await _documents.GetAsync(SuppressionMarkKind, SuppressionMarkKey, cancellationToken))?.Version ?? 0;
}
