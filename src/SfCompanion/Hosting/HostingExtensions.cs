using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
        var gate = new StartupLogGate();
        builder.Services.AddSingleton(gate);
        builder.Logging.AddFilter(StartupLogGate.HostCategory, gate.Allows);
        builder.Services.AddSingleton<SecretRedactor>();
        // Every log line, whatever its provider, passes through the redactor.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new RedactingLoggerFactory(
            new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()),
            sp.GetRequiredService<SecretRedactor>())));
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

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = DescribeStatus);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw (in every environment) so the handler above can name the parameter in the answer; the
        // client's mistakes are not logged as server errors.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o => o.SuppressDiagnosticsCallback = c => BadRequestExceptionHandler.IsClientError(c.Exception));
        // Computed properties (no setter) are in answers only: the document says so, and clients need not send them.
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo is { Set: null })
            {
                schema.ReadOnly = true;
            }

            return Task.CompletedTask;
        }));
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
        app.Lifetime.ApplicationStarted.Register(app.Services.GetRequiredService<StartupLogGate>().Open);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        beforeRouting?.Invoke(app);
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
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
        app.MapGet(ApiReferenceConfigurationPath, () => Results.Text(ApiReferenceConfiguration, "text/javascript; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous();
        app.MapScalarApiReference("/docs", ConfigureApiReference);
        return app;
    }

    /// <summary>
    /// The API reference works without the internet: its script and styles come from the package (served by the app
    /// under <c>/docs</c>), the system fonts replace the default web fonts, and every button or integration that reaches
    /// an outside service (AI chat, MCP, the developer toolbar with its deploy and SDK links, the client
    /// button, telemetry) is off. "Test request" stays: it calls this service itself.
    /// </summary>
    private static void ConfigureApiReference(ScalarOptions options) => options
        .WithTitle("SfCompanion API")
        .WithOpenApiRoutePattern("/openapi/{documentName}.json")
        .WithJavaScriptConfiguration(ApiReferenceConfigurationPath)
        .DisableDefaultFonts()
        .DisableAgent()
        .DisableMcp()
        .DisableTelemetry()
        .HideDeveloperTools()
        .HideClientButton();

    private const string ApiReferenceConfigurationPath = "/docs/sfcompanion.config.js";

    /// <summary>
    /// The same settings as <see cref="ConfigureApiReference"/>, as the module the page merges last into its
    /// configuration: the package does not pass every option to the page itself, so this module is what guarantees them.
    /// </summary>
    private const string ApiReferenceConfiguration = """
        export default {
          withDefaultFonts: false,
          agent: { disabled: true },
          mcp: { disabled: true },
          showDeveloperTools: 'never',
          hideClientButton: true,
          telemetry: false,
        }
        """;

    /// <summary>Answers the framework writes without a detail (no route, wrong method, server error) still say what happened.</summary>
    private static void DescribeStatus(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        var path = request.Path.Value is { Length: > 200 } full ? full[..200] + "…" : request.Path.Value;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing is served at {request.Method} {path}. The API and its addresses are listed at /docs.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed at {path}. The API and its methods are listed at /docs.",
            StatusCodes.Status400BadRequest => $"The request to {request.Method} {path} is not valid.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"{request.Method} {path} takes a JSON body: send it with Content-Type: application/json (this request has '{request.ContentType}').",
            >= 500 => "The service failed to answer this request; the error and this answer's traceId are in its log.",
            _ => null,
        };

        // A path or a value quoted back may hold a secret (a key pasted in the wrong place).
        if (context.HttpContext.RequestServices.GetService<SecretRedactor>() is { } redactor)
        {
            problem.Detail = redactor.Redact(problem.Detail);
        }
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var redactor = context.RequestServices.GetRequiredService<SecretRedactor>();
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = redactor.Redact(e.Value.Description),
                data = e.Value.Data.ToDictionary(d => d.Key, d => d.Value is string text ? redactor.Redact(text) : d.Value),
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
