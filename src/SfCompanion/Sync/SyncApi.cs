using Microsoft.AspNetCore.Http.HttpResults;
using SfCompanion.Salesforce;

namespace SfCompanion.Sync;

public static class SyncApi
{
    public sealed record ObjectSyncView(string Object, bool InitialComplete, string? Mode, DateTimeOffset? Watermark, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFullSyncAt, long Records, string? LastError);

    public sealed record ApiUsageView(bool Configured, long? Used, long? Limit, double? UsedPercent, DateTimeOffset? ObservedAt, long CallsSinceStart, IReadOnlyDictionary<string, long> CallsByOperation);

    /// <summary>Read-only views of the sync state and of the org's API usage (viewer role).</summary>
    public static RouteGroupBuilder MapSyncApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/sync", GetSyncStateAsync).WithName("GetSyncState").WithSummary("Sync state per mirrored object: watermark, mode, records, last error.").WithTags("Sync");
        api.MapGet("/salesforce/usage", GetUsageAsync).WithName("GetApiUsage")
            .WithSummary("The org's daily API usage (from the last response, or read live with ?refresh=true at the cost of one call) and this process's calls per operation.")
            .WithTags("Sync");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ObjectSyncView>>> GetSyncStateAsync(SyncObjectCatalog catalog, SyncStateStore states, CancellationToken cancellationToken)
    {
        var saved = (await states.ListAsync(cancellationToken)).ToDictionary(s => s.Object, StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<ObjectSyncView> views = catalog.Objects.Select(o => saved.TryGetValue(o.Name, out var s)
            ? new ObjectSyncView(o.Name, s.InitialComplete, s.Mode, s.Watermark, s.LastSuccessAt, s.LastFullSyncAt, s.Records, s.LastError)
            : new ObjectSyncView(o.Name, false, null, null, null, null, 0, null)).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<ApiUsageView>, ProblemHttpResult>> GetUsageAsync(IServiceProvider services, bool? refresh, CancellationToken cancellationToken)
    {
        if (services.GetService<ISalesforceClient>() is not { } client)
        {
            return TypedResults.Ok(new ApiUsageView(false, null, null, null, null, 0, new Dictionary<string, long>()));
        }

        if (refresh == true)
        {
            try
            {
                await client.GetLimitsAsync(cancellationToken);
            }
            catch (SalesforceException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway, title: "Salesforce did not return its limits");
            }
        }

        var usage = client.LastApiUsage;
        return TypedResults.Ok(new ApiUsageView(true, usage?.Used, usage?.Limit, usage?.UsedPercent, usage?.ObservedAt, client.Calls.ApiCalls, client.Calls.Snapshot()));
    }
}
