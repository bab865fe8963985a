using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Hosting;

namespace SfCompanion.Admin;

public static class AdminExtensions
{
    /// <summary>API keys, the API-key authentication scheme, one authorization policy per role and the bootstrap key at first start.</summary>
    public static IHostApplicationBuilder AddAdmin(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAdmin();
        return builder;
    }

    /// <summary><see cref="AddAdmin(IHostApplicationBuilder)"/> on a service collection. Safe to call twice.</summary>
    public static IServiceCollection AddAdmin(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ApiKeyService)))
        {
            // Already added (an authentication scheme can only be registered once).
            return services;
        }

        services.AddValidatedOptions<AdminOptions>();
        services.AddSingleton<ApiKeyService>();
        services.TryAddSingleton<IBootstrapKeyAnnouncer, ConsoleBootstrapKeyAnnouncer>();
        services.AddSingleton<AdminBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminBootstrap>());
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, displayName: "API key", configureOptions: null);
        SfcRoles.AddRolePolicies(services.AddAuthorizationBuilder());
        return services;
    }

    /// <summary>API key management under <c>/api/keys</c> (admin role).</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapAdminApi();
        return endpoints;
    }
}
