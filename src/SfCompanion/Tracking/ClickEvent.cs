using System.Text.Json.Serialization;

namespace SfCompanion.Tracking;

/// <summary>One click as written to the <c>clicks</c> log (short names: the log holds millions of them).</summary>
public sealed record ClickEvent
{
    public const string Log = "clicks";

    /// <summary>
    /// Journal id and position of a click recorded through the click journal (<c>Tracking:ClickDurability = Journal</c>),
    /// unique, so it is moved to the log once; null in <c>Fsync</c> mode.
    /// </summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("l")]
    public required string LinkId { get; init; }

    [JsonPropertyName("c")]
    public required string CampaignId { get; init; }

    /// <summary>Lead or contact id from a valid token; null for anonymous clicks.</summary>
    [JsonPropertyName("r")]
    public string? RecipientId { get; init; }

    /// <summary>A token was present but did not verify (tampered, truncated, foreign key).</summary>
    [JsonPropertyName("bt")]
    public bool BadToken { get; init; }

    [JsonPropertyName("at")]
    public DateTimeOffset At { get; init; }

    [JsonPropertyName("ua")]
    public string? UserAgent { get; init; }

    /// <summary>The client address, truncated or hashed per <c>Tracking:IpStorage</c> (null when not stored).</summary>
    [JsonPropertyName("ip")]
    public string? Ip { get; init; }

    /// <summary>The full address was in a configured scanner range (checked before truncation).</summary>
    [JsonPropertyName("sip")]
    public string? ScannerRange { get; init; }

    [JsonPropertyName("hp")]
    public bool Honeypot { get; init; }
}

[JsonSerializable(typeof(ClickEvent))]
internal sealed partial class ClickJsonContext : JsonSerializerContext;
