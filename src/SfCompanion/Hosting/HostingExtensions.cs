using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace SfCompanion.Hosting;

public static class HostingExtensions
{
    /// <summary>Name of the ActivitySource and Meter prefix of everything SfCompanion instruments.</summary>
    public const string TelemetryName = "SfCompanion";

    /// <summary>
    /// Configuration sources, logging, telemetry, health, OpenAPI and error handling shared by every role and every
    /// capability. Capabilities depend on this plumbing; it knows none of them.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        ReadAppSettingsFromApplicationDirectory(config);

        // Optional secrets file (JSON), outside appsettings so it can be mounted read-only; environment and
        // command line keep the last word.
        var secretsFile = Environment.GetEnvironmentVariable("SFCOMPANION_SECRETS_FILE") ?? Path.Combine(builder.Environment.ContentRootPath, "secrets.json");
        config.AddJsonFile(secretsFile, optional: true, reloadOnChange: false);
        config.AddEnvironmentVariables();
        config.AddCommandLine(args, new Dictionary<string, string> { ["--role"] = "Hosting:Role", ["--store"] = "Storage:Provider" });

        var hosting = config.Roles();
        builder.Services.AddValidatedOptions<HostingOptions>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(Math.Clamp(hosting.ShutdownTimeoutSeconds, 1, 3600)));
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Logging.ClearProviders();
        if (hosting.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(TelemetryName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentationIfAvailable()
                .AddMeter(TelemetryName + ".*", TelemetryName)
                .AddPrometheusExporter())
            .WithTracing(t =>
            {
                // Traces are recorded only when an OTLP collector is configured (standard OTEL_* variables): with nowhere
                // to send them, an activity per request would only cost the redirect its throughput.
                if (!string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    t.AddSource(TelemetryName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter();
                }
            });

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    /// <summary>
    /// <c>appsettings*.json</c> are read from the application's own directory, not the current one: a service started
    /// from elsewhere (a script, a unit file without <c>WorkingDirectory</c>) keeps its settings. Relative paths in
    /// settings (<c>./data</c>) still resolve against the current directory.
    /// </summary>
    private static void ReadAppSettingsFromApplicationDirectory(ConfigurationManager config)
    {
        var sources = (IList<IConfigurationSource>)config.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } path } json && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                sources[i] = new JsonConfigurationSource
                {
                    Path = path,
                    Optional = json.Optional,
                    ReloadOnChange = false,
                    FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                };
            }
        }
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfAvailable(this MeterProviderBuilder builder) =>
        builder.AddMeter("System.Runtime");

    /// <summary>
    /// The middleware pipeline: errors as problem details, then <paramref name="beforeRouting"/> (middleware that answers
    /// its own requests without routing or authentication), then routing, authentication and authorization. Explicit,
    /// so nothing is added in front of <paramref name="beforeRouting"/> implicitly.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app, Action<WebApplication>? beforeRouting = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        beforeRouting?.Invoke(app);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        // Validates the anti-forgery token of form posts to endpoints that ask for it (the console's pages).
        app.UseAntiforgery();
        return app;
    }

    /// <summary>
    /// Health and metrics in every role and environment (probes and scrapers need them); the OpenAPI document and the
    /// API reference where the API is served (roles <c>all</c> and <c>web</c>).
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteHealthAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (!app.Configuration.Roles().RunsWeb)
        {
            return app;
        }

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("SfCompanion API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson));
    }

    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Runs every start-up check and returns all problems found (configuration, store).</summary>
    public static IReadOnlyList<string> RunStartupChecks(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetServices<IStartupCheck>().SelectMany(c => c.Run(services)).ToList();
    }
}
