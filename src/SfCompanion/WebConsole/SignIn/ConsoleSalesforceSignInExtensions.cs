using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SfCompanion.Hosting;

namespace SfCompanion.WebConsole;

public static class ConsoleSalesforceSignInExtensions
{
    /// <summary>
    /// "Sign in with Salesforce" for the console: its validated options and, when <c>Console:SalesforceSignIn:Enabled</c>,
    /// the OAuth 2.0 web server flow with PKCE as the <see cref="ConsoleAuth.SalesforceScheme"/> scheme, signing in to
    /// the console's cookie scheme (<see cref="ConsoleAuth.Scheme"/>, registered by <see cref="WebConsoleExtensions.AddWebConsole"/>).
    /// Safe to call twice.
    /// </summary>
    public static IHostApplicationBuilder AddConsoleSalesforceSignIn(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(SalesforceSignInEvents)))
        {
            // Already added (an authentication scheme can only be registered once).
            return builder;
        }

        // The console registers the cookie scheme this sign-in signs in to.
        builder.AddWebConsole();
        services.AddValidatedOptions<ConsoleSalesforceSignInOptions>();
        services.AddOptionsRules<ConsoleSalesforceSignInOptions, ConsoleSalesforceSignInOptionsRules>();
        services.AddScoped<SalesforceSignInEvents>();
        // A malformed value is reported by the options' start-up check; here it only means "not enabled".
        if (!bool.TryParse(builder.Configuration[ConsoleSalesforceSignInOptions.SectionName + ":Enabled"], out var enabled) || !enabled)
        {
            return builder;
        }

        services.AddAuthentication().AddOAuth<SalesforceSignInOAuthOptions, SalesforceSignInHandler>(ConsoleAuth.SalesforceScheme, "Salesforce", _ => { });
        services.AddOptions<SalesforceSignInOAuthOptions>(ConsoleAuth.SalesforceScheme)
            .Configure<IOptions<ConsoleSalesforceSignInOptions>, IConfiguration>((o, signIn, configuration) =>
            {
                var settings = ConsoleSalesforceSignInSettings.Resolve(signIn.Value, configuration);
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret ?? "";
                o.AuthorizationEndpoint = settings.AuthorizationEndpoint;
                o.TokenEndpoint = settings.TokenEndpoint;
                o.UserInformationEndpoint = settings.UserInformationEndpoint;
                o.CallbackPath = ConsoleAuth.SalesforceCallbackPath;
                o.SignInScheme = ConsoleAuth.Scheme;
                o.UsePkce = true;
                // The user's Salesforce tokens serve the sign-in only: they are not kept in the session cookie.
                o.SaveTokens = false;
                o.Scope.Clear();
                foreach (var scope in signIn.Value.ScopeList)
                {
                    o.Scope.Add(scope);
                }

                // Salesforce sends the user back with a top-level GET: Lax is enough, and plain http works on localhost.
                o.CorrelationCookie.Name = "sfc_console_signin.";
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.Path = ConsoleAuth.BasePath;
                o.EventsType = typeof(SalesforceSignInEvents);
            });
        return builder;
    }

    /// <summary>
    /// <c>GET</c>/<c>POST</c> <see cref="ConsoleAuth.SalesforceSignInPath"/>: starts the Salesforce sign-in, then returns to
    /// <c>returnUrl</c> when it is a console path (anything else returns to <see cref="ConsoleAuth.BasePath"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapConsoleSalesforceSignIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(ConsoleAuth.SalesforceSignInPath, [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
            {
                var schemes = http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
                if (await schemes.GetSchemeAsync(ConsoleAuth.SalesforceScheme) is null)
                {
                    return Results.Problem(
                        title: "Sign in with Salesforce is not enabled",
                        detail: "Console:SalesforceSignIn:Enabled is false: set it to true with the External Client App's settings (see docs/console.md), or sign in with an API key.",
                        statusCode: StatusCodes.Status404NotFound);
                }

                var returnUrl = http.Request.Query["returnUrl"].ToString();
                if (returnUrl.Length == 0 && http.Request.HasFormContentType)
                {
                    returnUrl = (await http.Request.ReadFormAsync(http.RequestAborted))["returnUrl"].ToString();
                }

                return Results.Challenge(new AuthenticationProperties { RedirectUri = ConsoleReturnUrl.Safe(returnUrl) }, [ConsoleAuth.SalesforceScheme]);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}
