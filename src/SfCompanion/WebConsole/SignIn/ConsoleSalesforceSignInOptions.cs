using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.WebConsole;

/// <summary>
/// "Sign in with Salesforce" for the console: the External Client App it uses, where the org's login page is, the scopes
/// asked for and which permission set gives which console role.
/// </summary>
public sealed class ConsoleSalesforceSignInOptions : ISectionOptions
{
    public static string SectionName => "Console:SalesforceSignIn";

    internal const string PermissionSetPattern = "^[A-Za-z][A-Za-z0-9_]{0,79}$";
    private const string PermissionSetMessage = "must be a permission set API name (a letter, then letters, digits or underscores, at most 80), e.g. 'SfCompanion_Admin'";

    /// <summary>Offers "Sign in with Salesforce" on the console's sign-in page.</summary>
    public bool Enabled { get; set; }

    /// <summary>Consumer key of the External Client App; empty: <c>Salesforce:ClientId</c> (the integration's app).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Consumer secret. Empty with an empty <see cref="ClientId"/>: <c>Salesforce:ClientSecret</c>; empty with a
    /// <see cref="ClientId"/> of its own: no secret is sent (an app that does not require one for the web server flow).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>The org's login or My Domain URL; empty: <c>Salesforce:LoginUrl</c>.</summary>
    public string? LoginUrl { get; set; }

    /// <summary>
    /// Scopes asked for, separated by spaces: <c>openid</c> (the userinfo endpoint) is enough, since the role is read by
    /// the integration user.
    /// </summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_:./-]+( [A-Za-z0-9_:./-]+)*$", ErrorMessage = "must be scope names separated by single spaces, e.g. 'openid'")]
    public string Scopes { get; set; } = "openid";

    internal IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Permission set (API name) that gives the console's admin role.</summary>
    [Required]
    [RegularExpression(PermissionSetPattern, ErrorMessage = PermissionSetMessage)]
    public string AdminPermissionSet { get; set; } = "SfCompanion_Admin";

    /// <summary>Permission set that gives the marketer role.</summary>
    [Required]
    [RegularExpression(PermissionSetPattern, ErrorMessage = PermissionSetMessage)]
    public string MarketerPermissionSet { get; set; } = "SfCompanion_Marketer";

    /// <summary>Permission set that gives the viewer role.</summary>
    [Required]
    [RegularExpression(PermissionSetPattern, ErrorMessage = PermissionSetMessage)]
    public string ViewerPermissionSet { get; set; } = "SfCompanion_Viewer";

    /// <summary>The role of each permission set, highest role first.</summary>
    internal IReadOnlyList<(string Role, string PermissionSet)> RolePermissionSets =>
        [(Admin.SfcRoles.Admin, AdminPermissionSet), (Admin.SfcRoles.Marketer, MarketerPermissionSet), (Admin.SfcRoles.Viewer, ViewerPermissionSet)];
}

/// <summary>What the Salesforce sign-in needs when it is enabled: a client id, a usable login URL, <c>openid</c>, distinct permission sets.</summary>
internal sealed class ConsoleSalesforceSignInOptionsRules(IConfiguration configuration) : IOptionsRules<ConsoleSalesforceSignInOptions>
{
    private const string Section = "Console:SalesforceSignIn";

    public IEnumerable<string> Check(ConsoleSalesforceSignInOptions options)
    {
        var names = options.RolePermissionSets.Select(r => r.PermissionSet).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() < names.Count)
        {
            yield return $"{Section}:AdminPermissionSet, MarketerPermissionSet, ViewerPermissionSet = '{string.Join("', '", names)}': must be three different permission sets, one per role";
        }

        if (!options.Enabled)
        {
            yield break;
        }

        var resolved = ConsoleSalesforceSignInSettings.Resolve(options, configuration);
        if (string.IsNullOrWhiteSpace(resolved.ClientId))
        {
            yield return $"{Section}:ClientId = '(empty)': set the consumer key of the External Client App (or Salesforce:ClientId) when {Section}:Enabled is true";
        }

        if (string.IsNullOrWhiteSpace(configuration["Salesforce:ClientId"]))
        {
            yield return $"Salesforce:ClientId = '(empty)': {Section}:Enabled is true and the signing-in user's permission sets are read with the service's Salesforce connection; configure it (see docs/salesforce.md) or set {Section}:Enabled to false";
        }

        if (!Uri.TryCreate(resolved.LoginUrl, UriKind.Absolute, out var login) || login.Scheme is not ("https" or "http") || login.Query.Length > 0
            || (login.Scheme == "http" && !login.IsLoopback && !resolved.AllowInsecureHttp))
        {
            yield return $"{Section}:LoginUrl = '{resolved.LoginUrl}': must be the org's https login or My Domain URL, e.g. 'https://acme.my.salesforce.com' (plain http only for localhost, or with Salesforce:AllowInsecureHttp)";
        }

        if (!options.ScopeList.Contains("openid", StringComparer.Ordinal))
        {
            yield return $"{Section}:Scopes = '{options.Scopes}': must include 'openid' (the userinfo endpoint needs it)";
        }
    }
}
