using System.Text;
using System.Text.RegularExpressions;

namespace SfCompanion.Emulator.Api;

/// <summary>
/// <c>/services/oauth2/authorize</c> of the web server flow: GET shows the login page, POST of that page signs a user in
/// and redirects to the callback with a one-time code (or Salesforce's error parameters).
/// </summary>
internal static partial class AuthorizeEndpoint
{
    /// <summary>The scopes an External Client App can grant (Salesforce's names).</summary>
    private static readonly HashSet<string> KnownScopes = new(StringComparer.Ordinal)
    {
        "api", "refresh_token", "offline_access", "openid", "id", "profile", "email", "address", "phone", "web", "full",
        "chatter_api", "custom_permissions", "visualforce", "wave_api", "cdp_api", "pardot_api", "lightning", "content",
    };

    private const string DefaultScope = "api refresh_token openid";

    public static void Map(WebApplication app, SalesforceEmulator org)
    {
        app.MapGet("/services/oauth2/authorize", (HttpRequest request) =>
        {
            var authorize = AuthorizeRequest.From(name => request.Query[name].ToString());
            return Check(org, authorize) ?? Refusal(org, authorize) ?? LoginPage.Form(authorize, org.Options.Users, null, null);
        });
        app.MapPost("/services/oauth2/authorize", async (HttpRequest request, CancellationToken ct) =>
        {
            if (!request.HasFormContentType)
            {
                return LoginPage.Error("invalid_request", "the login form must be posted as application/x-www-form-urlencoded");
            }

            var form = await request.ReadFormAsync(ct);
            var authorize = AuthorizeRequest.From(name => form[name].ToString());
            if ((Check(org, authorize) ?? Refusal(org, authorize)) is { } stop)
            {
                return stop;
            }

            if (form["action"] == "deny")
            {
                return Redirect(authorize, ("error", "access_denied"), ("error_description", "end-user denied authorization"));
            }

            var username = form["username"].ToString();
            var userId = org.CheckPassword(username, form["password"].ToString());
            if (userId is null)
            {
                return LoginPage.Form(authorize, org.Options.Users, username,
                    "Please check your username and password. If you still can't log in, contact your Salesforce administrator.");
            }

            var code = org.AuthorizationCodes.Issue(
                authorize.ClientId, authorize.RedirectUri, authorize.CodeChallenge.Length == 0 ? null : authorize.CodeChallenge, userId, Scope(authorize));
            return Redirect(authorize, ("code", code));
        });
    }

    /// <summary>The granted scopes: those asked for, or the app's when none are.</summary>
    private static string Scope(AuthorizeRequest request) =>
        request.Scope.Trim().Length == 0 ? DefaultScope : string.Join(' ', request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal));

    /// <summary>Problems that are never sent to the redirect URI: an unknown client or a callback the app does not list.</summary>
    private static IResult? Check(SalesforceEmulator org, AuthorizeRequest request)
    {
        if (!string.Equals(request.ClientId, org.Options.ClientId, StringComparison.Ordinal))
        {
            return LoginPage.Error("invalid_client_id", "client identifier invalid");
        }

        return IsAllowedCallback(org.Options, request.RedirectUri) ? null : LoginPage.Error("redirect_uri_mismatch", "redirect_uri must match configuration");
    }

    /// <summary>Problems with the request itself, reported to the (checked) redirect URI as Salesforce does.</summary>
    private static IResult? Refusal(SalesforceEmulator org, AuthorizeRequest request)
    {
        if (!string.Equals(request.ResponseType, "code", StringComparison.Ordinal))
        {
            return Redirect(request, ("error", "unsupported_response_type"), ("error_description", "response type not supported"));
        }

        if (request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => !KnownScopes.Contains(s)))
        {
            return Redirect(request, ("error", "invalid_scope"), ("error_description", "the requested scope is not allowed"));
        }

        if (request.CodeChallenge.Length == 0)
        {
            return org.Options.RequirePkce ? Redirect(request, ("error", "invalid_request"), ("error_description", "missing required code challenge")) : null;
        }

        if (request.CodeChallengeMethod.Length > 0 && !string.Equals(request.CodeChallengeMethod, "S256", StringComparison.Ordinal))
        {
            return Redirect(request, ("error", "invalid_request"), ("error_description", "invalid code challenge method"));
        }

        return CodeChallenge().IsMatch(request.CodeChallenge) ? null : Redirect(request, ("error", "invalid_request"), ("error_description", "invalid code challenge"));
    }

    private static bool IsAllowedCallback(EmulatorOptions options, string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || redirectUri.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        return options.CallbackUrls.Count > 0
            ? options.CallbackUrls.Contains(redirectUri, StringComparer.Ordinal)
            : uri.IsLoopback;
    }

    private static IResult Redirect(AuthorizeRequest request, params (string Name, string Value)[] parameters)
    {
        var url = new StringBuilder(request.RedirectUri).Append(request.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        IEnumerable<(string Name, string Value)> all = request.State.Length > 0 ? parameters.Append(("state", request.State)) : parameters;
        url.AppendJoin('&', all.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
        return Results.Redirect(url.ToString());
    }

    /// <summary>A SHA-256 hash in base64url without padding.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex CodeChallenge();
}
