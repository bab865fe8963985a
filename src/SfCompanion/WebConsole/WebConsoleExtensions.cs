using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfCompanion.Admin;
using SfCompanion.Hosting;
using SfCompanion.Storage;
using SfCompanion.WebConsole.Components;
using SfCompanion.WebConsole.Consent;
using SfCompanion.WebConsole.Jobs;
using SfCompanion.WebConsole.Scoring;
using SfCompanion.WebConsole.Rules;
using SfCompanion.WebConsole.Tracking;

namespace SfCompanion.WebConsole;

public static class WebConsoleExtensions
{
    /// <summary>
    /// The console: server-rendered pages (Razor components, static rendering), the session cookie and its role
    /// policies, anti-forgery, and the data protection key ring kept in the store (so every <c>web</c> replica reads
    /// every session). Safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddWebConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ConsoleText)))
        {
            // Already added (an authentication scheme can only be registered once).
            return builder;
        }

        builder.AddStorage();
        builder.AddAdmin();
        services.AddValidatedOptions<WebConsoleOptions>();
        services.AddHttpContextAccessor();
        services.AddScoped<ConsoleText>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "sfc_console_af";
            o.Cookie.Path = ConsoleAuth.BasePath;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-Sfc-Antiforgery";
        });

        services.AddDataProtection().SetApplicationName("SfCompanion");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider>((o, sp) => o.XmlRepository = new StoreXmlRepository(sp));

        services.AddAuthentication().AddCookie(ConsoleAuth.Scheme, o =>
        {
            o.Cookie.Name = ConsoleAuth.CookieName;
            o.Cookie.Path = ConsoleAuth.BasePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = ConsoleAuth.SignInPath;
            o.AccessDeniedPath = ConsoleAuth.BasePath + "/forbidden";
            o.ReturnUrlParameter = "returnUrl";
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = c => RedirectOrStatus(c.HttpContext, c.RedirectUri, StatusCodes.Status401Unauthorized, redirectPosts: true);
            o.Events.OnRedirectToAccessDenied = c => RedirectOrStatus(c.HttpContext, c.RedirectUri, StatusCodes.Status403Forbidden, redirectPosts: false);
        });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(ConsoleAuth.Scheme)
            .Configure<IOptions<WebConsoleOptions>>((o, console) => o.ExpireTimeSpan = TimeSpan.FromHours(console.Value.SessionHours));
        ConsoleAuth.AddPolicies(services.AddAuthorizationBuilder());
        return builder;
    }

    /// <summary>The console's pages under <c>/console</c>, its static assets and its sign-in and sign-out endpoints.</summary>
    public static IEndpointRouteBuilder MapWebConsole(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapStaticAssets();
        endpoints.MapConsoleSession();
        endpoints.MapRulesConsoleApi();
        endpoints.MapScoringConsoleApi();
        endpoints.MapTrackingConsoleApi();
        endpoints.MapConsentConsoleApi();
        endpoints.MapJobsConsoleApi();
        // Console forms may carry a CSV file (ConsentCsvImport.MaxBytes): the page itself explains a file over its limit.
        endpoints.MapRazorComponents<App>().WithRequestBodyLimit(RequestBodyLimits.Console);
        return endpoints;
    }

    /// <summary>
    /// Pages get a redirect (to the sign-in page, or to the "not allowed" page); the console's own JSON endpoints get
    /// the status code, and so does a form posted by someone whose role does not allow it.
    /// </summary>
    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status, bool redirectPosts)
    {
        if (context.Request.Path.StartsWithSegments(ConsoleAuth.BasePath + "/api", StringComparison.OrdinalIgnoreCase) ||
            (!redirectPosts && !HttpMethods.IsGet(context.Request.Method)))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}
