using Quartz;
using SfCompanion.Admin;
using SfCompanion.Hosting;

namespace SfCompanion.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Jobs state, control and history (every role, so the web role serves the jobs API), plus Quartz and the
    /// scheduling loop when this process runs the worker.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, bool runsWorker)
    {
        if (services.Any(d => d.ServiceType == typeof(JobCatalog)))
        {
            // Already added: a second Quartz scheduler or worker loop would run every job twice.
            return services;
        }

        services.AddOptionsRules<JobsOptions, JobsOptionsRules>();
        services.AddValidatedOptions<JobsOptions>();
        services.AddSingleton(sp => new JobCatalog(sp.GetServices<JobDefinition>()));
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobSignals>();
        services.AddSingleton<JobsInstance>();
        services.AddSingleton<JobControl>();
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<JobCoordinator>();
        if (runsWorker)
        {
            services.AddTransient<SfcQuartzJob>();
            // Quartz scheduler names are unique per process: hosts started side by side (tests, the demo) each get their own.
            var schedulerName = "SfCompanion-" + Guid.NewGuid().ToString("N")[..8];
            services.AddQuartz(q =>
            {
                q.ConfigureScheduler(o =>
                {
                    o.InstanceName = schedulerName;
                    // Jobs due at the same instant (several capabilities run every minute) are acquired and fired
                    // together, not one after the other with each later one at risk of counting as misfired.
                    o.MaxBatchSize = 10;
                });
                q.UseDefaultThreadPool(maxConcurrency: 10);
            });
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            services.AddHostedService<JobScheduler>();
        }

        return services;
    }

    /// <summary>
    /// Jobs state, control and history, with Quartz and the scheduling loop when <c>Hosting:Role</c> runs the worker
    /// (<c>all</c> or <c>worker</c>). Capabilities that register jobs call it; safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddJobs(builder.Configuration.Roles().RunsWorker);
        return builder;
    }

    /// <summary>The jobs API under <c>/api/jobs</c> (list, schedules, run now, runs).</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapApiGroup().MapJobsApi();
        return endpoints;
    }

    /// <summary>
    /// Registers a job: <paramref name="name"/> (lower-case letters, digits, dashes) names it in the API, its lease and
    /// its runs; <paramref name="defaultCron"/> (Quartz cron, seconds first) in <paramref name="defaultTimeZone"/> (IANA)
    /// applies until an admin edits the schedule. <typeparamref name="TJob"/> is resolved in a scope per run.
    /// </summary>
    public static IServiceCollection AddSfcJob<TJob>(this IServiceCollection services, string name, string defaultCron, string defaultTimeZone = "UTC", string? description = null)
        where TJob : class, ISfcJob
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!JobCatalog.IsValidName(name))
        {
            throw new ArgumentException($"Job name '{name}' must be lower-case letters, digits and dashes (e.g. \"click-aggregation\").", nameof(name));
        }

        var errors = JobScheduleCalculator.Validate(defaultCron, defaultTimeZone, DateTimeOffset.UnixEpoch);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Job '{name}': {string.Join(" ", errors.Values.SelectMany(e => e))}", nameof(defaultCron));
        }

        if (services.Select(d => d.ImplementationInstance).OfType<JobDefinition>().FirstOrDefault(j => j.Name == name) is { } existing)
        {
            return existing.JobType == typeof(TJob) ? services
                : throw new ArgumentException($"Job name '{name}' is already taken by {existing.JobType.Name}.", nameof(name));
        }

        services.AddScoped<TJob>();
        services.AddSingleton(new JobDefinition(name, typeof(TJob), defaultCron.Trim(), defaultTimeZone.Trim(), description));
        return services;
    }
}
