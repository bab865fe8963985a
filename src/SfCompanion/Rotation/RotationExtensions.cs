using Microsoft.Extensions.DependencyInjection.Extensions;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Jobs;
using SfCompanion.Scoring;

namespace SfCompanion.Rotation;

public static class RotationExtensions
{
    /// <summary>Rotation pools on the scoring routines' suspect flow, and the <c>rotation</c> job (working-day mornings). Safe to call twice.</summary>
    public static IHostApplicationBuilder AddRotation(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RotationService)))
        {
            return builder;
        }

        builder.AddScoring();
        builder.AddJobs();
        services.AddValidatedOptions<RotationOptions>();
        services.TryAddSingleton<RotationService>();
        services.AddSfcJob<RotationJob>(RotationJob.Name, "0 0 9 ? * MON-FRI", "Europe/Paris",
            "Recycles suspects left untouched past their pool's SLA, then shares each pool's best suspects among its available reps (owner and follow-up task through the outbox).");
        return builder;
    }

    /// <summary>The rotation API under <c>/api/rotation</c>.</summary>
    public static IEndpointRouteBuilder MapRotation(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapRotationApi();
        return endpoints;
    }
}
