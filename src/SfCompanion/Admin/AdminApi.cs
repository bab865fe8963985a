using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SfCompanion.Admin;

public static class AdminApi
{
    /// <summary>A key as listed: never the secret.</summary>
    public sealed record ApiKeyView(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked, DateTimeOffset? RevokedAt)
    {
        internal static ApiKeyView Of(ApiKey k) => new(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, k.LastUsedAt, k.Revoked, k.RevokedAt);
    }

    public sealed record CreateApiKeyRequest(string? Name, string? Role);

    /// <summary>The new key with its secret, returned once.</summary>
    public sealed record CreatedApiKeyView(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, string Key);

    /// <summary>
    /// The <c>/api</c> route group: every endpoint mapped on it requires an API key with at least the viewer role.
    /// Capabilities add stricter roles on their endpoints or sub-groups with <see cref="SfcRoles.RequireRole{TBuilder}"/>.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGroup("/api").RequireRole(SfcRoles.Viewer);
    }

    /// <summary>API key management (admin role): <c>POST/GET /keys</c>, <c>DELETE /keys/{id}</c>.</summary>
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var keys = api.MapGroup("/keys").RequireRole(SfcRoles.Admin).WithTags("Admin");
        keys.MapPost("/", CreateKeyAsync).WithName("CreateApiKey").WithSummary("Creates an API key with a role (admin, marketer, viewer); the key is returned once.");
        keys.MapGet("/", ListKeysAsync).WithName("ListApiKeys").WithSummary("Lists API keys (never their secrets).");
        keys.MapDelete("/{id}", RevokeKeyAsync).WithName("RevokeApiKey").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Revokes an API key; the last active admin key cannot be revoked.");
        return api;
    }

    private static async Task<Results<Created<CreatedApiKeyView>, ValidationProblem>> CreateKeyAsync(CreateApiKeyRequest request, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            errors["name"] = [$"name = '{request.Name}': required, at most 100 characters (e.g. \"newsletter tool\")."];
        }

        if (!SfcRoles.IsKnown(request.Role))
        {
            errors["role"] = [$"role = '{request.Role}': must be one of {string.Join(", ", SfcRoles.All)} (e.g. \"viewer\")."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)), title: "Invalid API key request");
        }

        var created = await keys.CreateAsync(request.Name!, request.Role!, cancellationToken);
        var k = created.Key;
        return TypedResults.Created($"/api/keys/{k.Id}", new CreatedApiKeyView(k.Id, k.Name, k.Role, k.Prefix, k.CreatedAt, created.Secret));
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyView>>> ListKeysAsync(ApiKeyService keys, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiKeyView> views = (await keys.ListAsync(cancellationToken)).Select(ApiKeyView.Of).ToList();
        return TypedResults.Ok(views);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(
        [Required] string id, ApiKeyService keys, CancellationToken cancellationToken)
    {
        return await keys.RevokeAsync(id, cancellationToken) switch
        {
            RevokeOutcome.Revoked or RevokeOutcome.AlreadyRevoked => TypedResults.NoContent(),
            RevokeOutcome.NotFound => TypedResults.Problem($"No API key has id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "No such API key"),
            _ => TypedResults.Problem(
                $"Key '{id}' is the last active admin key; revoking it would leave nobody able to manage keys. Create another admin key first (POST /api/keys with role \"admin\").",
                statusCode: StatusCodes.Status409Conflict,
                title: "Cannot revoke the last admin key"),
        };
    }
}
