using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;
using SfCompanion.Salesforce;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>
/// The registry of tracked links (documents <c>tracking-link</c>, indexed by campaign). Look-ups on the redirect path
/// are cached in memory for a short time, so a hot link costs no store read; a disabled link stops within that time.
/// </summary>
public sealed class TrackedLinks(IDocumentStore store, TimeProvider time) : IDisposable
{
    public const string Kind = "tracking-link";
    internal const int IdLength = 10;
    private const int MaxUrlLength = 2000;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissCacheFor = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly HashSet<string> UtmKeys = new(StringComparer.Ordinal) { "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id" };
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    // Bounded, so a flood of random ids cannot grow memory without limit.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Whether <paramref name="id"/> has the shape of a link id (checked before any look-up).</summary>
    public static bool IsWellFormedId(string? id) => id is { Length: IdLength } && id.All(char.IsAsciiLetterOrDigit);

    /// <summary>Registers a link for a campaign; the campaign's honeypot link is created with its first link.</summary>
    /// <exception cref="LinkValidationException">The campaign id, label, URL or UTM parameters are not acceptable.</exception>
    public async Task<(TrackedLink Link, TrackedLink Honeypot)> RegisterAsync(string? campaignId, string? label, string? url, IReadOnlyDictionary<string, string>? utm, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!SalesforceIds.IsIdOf(campaignId, "Campaign"))
        {
            errors["campaignId"] = [$"campaignId = '{campaignId}': must be a Salesforce Campaign id (15 or 18 characters starting with 701)."];
        }

        if (string.IsNullOrWhiteSpace(label) || label.Length > 200 || label.Any(char.IsControl))
        {
            errors["label"] = [$"label: required, at most 200 characters without control characters (e.g. \"Livre blanc RGPD\")."];
        }

        var destination = ValidateUrl(url, errors);
        var utmValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in utm ?? new Dictionary<string, string>())
        {
            if (!UtmKeys.Contains(key))
            {
                errors["utm"] = [$"utm: '{key}' is not a UTM parameter; use {string.Join(", ", UtmKeys)}."];
            }
            else if (string.IsNullOrEmpty(value) || value.Length > 200 || value.Any(char.IsControl))
            {
                errors["utm"] = [$"utm.{key}: 1-200 characters without control characters."];
            }
            else
            {
                utmValues[key] = value;
            }
        }

        if (errors.Count > 0)
        {
            throw new LinkValidationException(errors);
        }

        var final = utmValues.Count == 0 ? destination! : QueryHelpers.AddQueryString(destination!, utmValues!);
        if (final.Length > MaxUrlLength)
        {
            throw new LinkValidationException(new Dictionary<string, string[]> { ["url"] = [$"url: with the UTM parameters the destination exceeds {MaxUrlLength} characters."] });
        }

        var now = time.GetUtcNow();
        var link = new TrackedLink { Id = NewId(), CampaignId = campaignId!, Label = label!.Trim(), Url = destination!, Utm = utmValues, Destination = final, CreatedAt = now };
        await PutAsync(link, cancellationToken);
        var honeypot = (await ListAsync(campaignId!, cancellationToken)).FirstOrDefault(l => l.IsHoneypot);
        if (honeypot is null)
        {
            honeypot = link with { Id = NewId(), Label = "(hidden honeypot)", IsHoneypot = true };
            await PutAsync(honeypot, cancellationToken);
        }

        return (link, honeypot);
    }

    private static string? ValidateUrl(string? url, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["url"] = [$"url = '{Shorten(url)}': must be an absolute http or https URL with a host, no credentials and no spaces, at most {MaxUrlLength} characters."];
            return null;
        }

        return uri.AbsoluteUri;
    }

    private static string? Shorten(string? value) => value is { Length: > 100 } ? value[..100] + "…" : value;


    private static string NewId() => RandomNumberGenerator.GetString(Alphabet, IdLength);

    private async Task PutAsync(TrackedLink link, CancellationToken cancellationToken)
    {
        await store.PutAsync(Kind, new DocumentWrite(link.Id, JsonSerializer.Serialize(link, Json), ExpectedVersion: 0, Index: [new IndexTerm("campaign", link.CampaignId)]), cancellationToken);
        _cache.Remove(link.Id);
    }

    public async Task<TrackedLink?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Kind, id, cancellationToken) is { } doc ? JsonSerializer.Deserialize<TrackedLink>(doc.Data, Json) : null;

    /// <summary>The link for the redirect path: well-formed ids only, cached briefly (misses too).</summary>
    public async ValueTask<TrackedLink?> GetForRedirectAsync(string? id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        if (_cache.TryGetValue(id!, out TrackedLink? cached))
        {
            return cached;
        }

        var link = await GetAsync(id!, cancellationToken);
        _cache.Set(id!, link, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = link is null ? MissCacheFor : CacheFor });
        return link;
    }

    public async Task<IReadOnlyList<TrackedLink>> ListAsync(string campaignId, CancellationToken cancellationToken = default) =>
        (await store.FindAsync(Kind, new IndexTerm("campaign", campaignId), int.MaxValue, cancellationToken))
            .Select(d => JsonSerializer.Deserialize<TrackedLink>(d.Data, Json)!).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();

    /// <summary>Every link, page by page.</summary>
    public async IAsyncEnumerable<TrackedLink> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var doc in store.ListAllAsync(Kind, 1000, cancellationToken))
        {
            yield return JsonSerializer.Deserialize<TrackedLink>(doc.Data, Json)!;
        }
    }

    /// <summary>Campaigns with at least one link (their members get tracking tokens).</summary>
    public async Task<IReadOnlyList<string>> TrackedCampaignsAsync(CancellationToken cancellationToken = default)
    {
        var campaigns = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var link in ListAllAsync(cancellationToken))
        {
            campaigns.Add(link.CampaignId);
        }

        return [.. campaigns];
    }

    /// <summary>Stops a link from redirecting (404 after the cache time); its clicks stay.</summary>
    public async Task<bool> DisableAsync(string id, CancellationToken cancellationToken = default)
    {
        var doc = await store.GetAsync(Kind, id, cancellationToken);
        if (doc is null)
        {
            return false;
        }

        var link = JsonSerializer.Deserialize<TrackedLink>(doc.Data, Json)! with { Disabled = true };
        await store.PutAsync(Kind, new DocumentWrite(id, JsonSerializer.Serialize(link, Json), doc.Version, [new IndexTerm("campaign", link.CampaignId)]), cancellationToken);
        _cache.Remove(id);
        return true;
    }

    public void Dispose() => _cache.Dispose();
}
