using Microsoft.AspNetCore.Authorization;

namespace SfCompanion.Admin;

/// <summary>The roles an API key carries. Each includes the ones below it: admin ⊃ marketer ⊃ viewer.</summary>
public static class SfcRoles
{
    public const string Admin = "admin";

    public const string Marketer = "marketer";

    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Marketer, Viewer];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);

    /// <summary>Name of the authorization policy that admits <paramref name="role"/> and every role above it.</summary>
    public static string PolicyFor(string role) => IsKnown(role)
        ? "sfc-role:" + role
        : throw new ArgumentException($"Unknown role '{role}'; expected one of {string.Join(", ", All)}.", nameof(role));

    /// <summary>The roles that satisfy <paramref name="role"/> (the role itself and those above it).</summary>
    public static IReadOnlyList<string> Satisfying(string role) => role switch
    {
        Admin => [Admin],
        Marketer => [Admin, Marketer],
        Viewer => [Admin, Marketer, Viewer],
        _ => throw new ArgumentException($"Unknown role '{role}'.", nameof(role)),
    };

    /// <summary>Requires an API key with <paramref name="role"/> (or a higher one) on an endpoint or a group.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyFor(role));

    internal static void AddRolePolicies(AuthorizationBuilder authorization)
    {
        foreach (var role in All)
        {
            authorization.AddPolicy(PolicyFor(role), p => p
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(Satisfying(role)));
        }
    }
}
