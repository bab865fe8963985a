using System.Text.Json;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>Storage of the click aggregates (documents <c>tracking-clicker</c>, <c>tracking-campaign</c>, <c>tracking-token</c>).</summary>
public sealed class ClickAggregateStore(IDocumentStore store)
{
    public const string ClickerKind = "tracking-clicker";
    public const string CampaignKind = "tracking-campaign";
    public const string TokenKind = "tracking-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(ClickerAggregate? Value, long Version)> GetClickerAsync(string campaignId, string recipientId, CancellationToken cancellationToken)
    {
        var doc = await store.GetAsync(ClickerKind, ClickerAggregate.KeyOf(campaignId, recipientId), cancellationToken);
        return doc is null ? (null, 0) : (JsonSerializer.Deserialize<ClickerAggregate>(doc.Data, Json), doc.Version);
    }

    public Task PutClickerAsync(ClickerAggregate clicker, long expectedVersion, CancellationToken cancellationToken)
    {
        var index = new List<IndexTerm> { new("campaign", clicker.CampaignId), new("recipient", clicker.RecipientId) };
        if (clicker.Pending)
        {
            index.Add(new IndexTerm("pending", "1"));
        }

        return store.PutAsync(ClickerKind, new DocumentWrite(ClickerAggregate.KeyOf(clicker.CampaignId, clicker.RecipientId), JsonSerializer.Serialize(clicker, Json), expectedVersion, index), cancellationToken);
    }

    public async Task<IReadOnlyList<ClickerAggregate>> FindClickersAsync(string term, string value, CancellationToken cancellationToken) =>
        (await store.FindAsync(ClickerKind, new IndexTerm(term, value), int.MaxValue, cancellationToken)).Select(d => JsonSerializer.Deserialize<ClickerAggregate>(d.Data, Json)!).ToList();

    public async Task<(CampaignAggregate Value, long Version)> GetCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        var doc = await store.GetAsync(CampaignKind, campaignId, cancellationToken);
        return doc is null ? (new CampaignAggregate { CampaignId = campaignId }, 0) : (JsonSerializer.Deserialize<CampaignAggregate>(doc.Data, Json)!, doc.Version);
    }

    public Task PutCampaignAsync(CampaignAggregate campaign, long expectedVersion, CancellationToken cancellationToken) =>
        store.PutAsync(CampaignKind, new DocumentWrite(campaign.CampaignId, JsonSerializer.Serialize(campaign, Json), expectedVersion), cancellationToken);

    /// <summary>The token last queued for a recipient's <c>Sfc_Tracking_Token__c</c>.</summary>
    public async Task<string?> GetQueuedTokenAsync(string recipientId, CancellationToken cancellationToken) =>
        (await store.GetAsync(TokenKind, recipientId, cancellationToken))?.Data;

    public Task SetQueuedTokenAsync(string recipientId, string token, CancellationToken cancellationToken) =>
        store.PutAsync(TokenKind, new DocumentWrite(recipientId, token), cancellationToken);

    /// <summary>
    /// Deletes what is held about one recipient: <paramref name="clickers"/> (their clicks per campaign, as found with
    /// <see cref="FindClickersAsync"/>) and their queued token; returns how many documents went.
    /// </summary>
    public async Task<int> DeleteRecipientAsync(string recipientId, IReadOnlyList<ClickerAggregate> clickers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickers);
        var removed = 0;
        foreach (var clicker in clickers)
        {
            removed += await store.DeleteAsync(ClickerKind, ClickerAggregate.KeyOf(clicker.CampaignId, clicker.RecipientId), cancellationToken: cancellationToken) ? 1 : 0;
        }

        return removed + (await store.DeleteAsync(TokenKind, recipientId, cancellationToken: cancellationToken) ? 1 : 0);
    }
}
