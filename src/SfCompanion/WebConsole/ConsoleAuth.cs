using Microsoft.AspNetCore.Authorization;
using SfCompanion.Admin;

namespace SfCompanion.WebConsole;

/// <summary>
/// How people sign in to the console: a cookie session issued either by the Salesforce sign-in (OAuth 2.0 web server
/// flow with PKCE, role from the user's permission sets) or by the break-glass sign-in with an API key. The session
/// carries one of <see cref="SfcRoles"/> as its role claim; every console page and action requires a role policy.
/// </summary>
public static class ConsoleAuth
{
    /// <summary>The console's cookie authentication scheme (the sign-in scheme of every console sign-in).</summary>
    public const string Scheme = "SfcConsole";

    /// <summary>The remote (OAuth) scheme that signs people in with Salesforce; its sign-in scheme is <see cref="Scheme"/>.</summary>
    public const string SalesforceScheme = "SfcConsoleSalesforce";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "sfc_console";

    /// <summary>Where the console lives.</summary>
    public const string BasePath = "/console";

    /// <summary>The sign-in page (shows "Sign in with Salesforce" and the break-glass form, and refusal messages).</summary>
    public const string SignInPath = BasePath + "/signin";

    /// <summary>Starts the Salesforce sign-in (a challenge of <see cref="SalesforceScheme"/>).</summary>
    public const string SalesforceSignInPath = BasePath + "/signin/salesforce";

    /// <summary>The OAuth callback (redirect URI) registered in the org's External Client App.</summary>
    public const string SalesforceCallbackPath = BasePath + "/signin/salesforce/callback";

    /// <summary>Claim naming how the session was opened: <see cref="ViaSalesforce"/> or <see cref="ViaApiKey"/>.</summary>
    public const string SignInMethodClaim = "sfc:signin";

    public const string ViaSalesforce = "salesforce";

    public const string ViaApiKey = "api-key";

    /// <summary>Claim with the Salesforce org id (Salesforce sign-in only).</summary>
    public const string OrgIdClaim = "sfc:org";

    /// <summary>Error codes shown on the sign-in page as <c>?error=</c>.</summary>
    public static class Errors
    {
        /// <summary>The Salesforce user has none of the mapped permission sets.</summary>
        public const string NoRole = "no-role";

        /// <summary>The user refused access on Salesforce's page, or Salesforce answered an OAuth error.</summary>
        public const string Denied = "denied";

        /// <summary>The exchange or the role lookup failed (Salesforce unreachable, bad client settings).</summary>
        public const string Failed = "failed";

        /// <summary>The break-glass key is unknown, revoked or malformed.</summary>
        public const string BadKey = "bad-key";
    }

    /// <summary>Policy of console pages and actions open to every signed-in role.</summary>
    public const string ViewerPolicy = "sfc-console:viewer";

    /// <summary>Policy of console pages and actions for marketers and admins.</summary>
    public const string MarketerPolicy = "sfc-console:marketer";

    /// <summary>Policy of console pages and actions for admins only.</summary>
    public const string AdminPolicy = "sfc-console:admin";

    /// <summary>Name of the console policy that admits <paramref name="role"/> and every role above it.</summary>
    public static string PolicyFor(string role) => SfcRoles.IsKnown(role)
        ? "sfc-console:" + role
        : throw new ArgumentException($"Unknown role '{role}'; expected one of {string.Join(", ", SfcRoles.All)}.", nameof(role));

    internal static void AddPolicies(AuthorizationBuilder authorization)
    {
        foreach (var role in SfcRoles.All)
        {
            authorization.AddPolicy(PolicyFor(role), p => p
                .AddAuthenticationSchemes(Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(SfcRoles.Satisfying(role)));
        }
    }
}
