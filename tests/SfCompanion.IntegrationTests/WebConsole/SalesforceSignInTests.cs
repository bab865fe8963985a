using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using SfCompanion.Admin;
using SfCompanion.Emulator;
using SfCompanion.IntegrationTests.TestHost;
using SfCompanion.WebConsole;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// "Sign in with Salesforce" end to end: the service on a real port, the emulated org's login page and token endpoint,
/// the role read from the user's permission sets through the API, and the console session it opens.
/// </summary>
public sealed class SalesforceSignInTests
{
    private const string SessionProbe = "/console/test-session";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SfcTestHost> StartAsync(Action<SfcTestHost>? configure = null)
    {
        var host = new SfcTestHost()
            .WithEmulator()
            .WithKestrel()
            .With("Console:SalesforceSignIn:Enabled", "true")
            .MapEndpoints(e => e.MapGet(SessionProbe, (ClaimsPrincipal user) => Results.Json(new
            {
                role = user.FindFirstValue(ClaimTypes.Role),
                name = user.FindFirstValue(ClaimTypes.Name),
                userId = user.FindFirstValue(ClaimTypes.NameIdentifier),
                signIn = user.FindFirstValue(ConsoleAuth.SignInMethodClaim),
                org = user.FindFirstValue(ConsoleAuth.OrgIdClaim),
                claims = user.Claims.Select(c => c.Type).ToArray(),
                authenticationType = user.Identity!.AuthenticationType,
            })).RequireAuthorization(ConsoleAuth.PolicyFor(SfcRoles.Viewer)));
        configure?.Invoke(host);
        return await host.StartAsync();
    }

    private sealed record Session(string Role, string Name, string UserId, string SignIn, string Org, string[] Claims, string AuthenticationType);

    private static string UserId(SalesforceEmulator org, string username) =>
        (string)org.Data.Query($"SELECT Id FROM User WHERE Username = '{username}'")[0]["Id"]!;

    [Fact]
    public async Task Admin_user_gets_an_http_only_lax_session_cookie_with_the_admin_role()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        var landing = await browser.SignInAsync("admin@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword, returnUrl: "/console/jobs?tab=runs");

        Assert.Equal("/console/jobs?tab=runs", landing);
        var cookie = Assert.Single(browser.CallbackSetCookies, c => c.StartsWith(ConsoleAuth.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/console", cookie, StringComparison.OrdinalIgnoreCase);

        var session = await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct);
        Assert.Equal(SfcRoles.Admin, session!.Role);
        Assert.Equal("Alice Admin", session.Name);
        Assert.Equal(UserId(host.Emulator, "admin@demo.sfcompanion.test"), session.UserId);
        Assert.Equal(ConsoleAuth.ViaSalesforce, session.SignIn);
        Assert.Equal(host.Emulator.Data.OrganizationId, session.Org);
        Assert.Equal(ConsoleAuth.Scheme, session.AuthenticationType);
    }

    [Fact]
    public async Task The_users_salesforce_tokens_are_not_in_the_session()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);
        await browser.SignInAsync("admin@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword);

        var session = await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct);
        Assert.DoesNotContain(session!.Claims, c => c.Contains("token", StringComparison.OrdinalIgnoreCase));
        // The cookie is the session alone: an access token would make it several times larger.
        var cookie = browser.Cookies.GetCookies(new Uri(host.BaseUrl + "/console"))[ConsoleAuth.CookieName]!;
        Assert.True(cookie.Value.Length < 1200, $"cookie of {cookie.Value.Length} characters");
    }

    [Fact]
    public async Task Marketer_and_viewer_get_their_roles()
    {
        await using var host = await StartAsync();
        foreach (var (username, role) in new[] { ("marketer@demo.sfcompanion.test", SfcRoles.Marketer), ("viewer@demo.sfcompanion.test", SfcRoles.Viewer) })
        {
            using var browser = new SalesforceSignInBrowser(host.BaseUrl);
            Assert.Equal("/console", await browser.SignInAsync(username, EmulatorOptions.DefaultUserPassword));
            Assert.Equal(role, (await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct))!.Role);
        }
    }

    [Fact]
    public async Task The_highest_role_wins_when_several_permission_sets_are_assigned()
    {
        await using var host = await StartAsync();
        var org = host.Emulator;
        var adminSet = (string)org.Data.Query("SELECT Id FROM PermissionSet WHERE Name = 'SfCompanion_Admin'")[0]["Id"]!;
        org.Data.Insert("PermissionSetAssignment", new Dictionary<string, object?> { ["AssigneeId"] = UserId(org, "viewer@demo.sfcompanion.test"), ["PermissionSetId"] = adminSet });
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        await browser.SignInAsync("viewer@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword);

        Assert.Equal(SfcRoles.Admin, (await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct))!.Role);
    }

    [Fact]
    public async Task A_role_granted_through_a_permission_set_group_counts()
    {
        await using var host = await StartAsync();
        var org = host.Emulator;
        // A "Campaign team" group holding the marketer set (and another), assigned to the user with no set of their own.
        var group = org.Data.Insert("PermissionSetGroup", new Dictionary<string, object?> { ["DeveloperName"] = "Campaign_Team", ["MasterLabel"] = "Campaign team", ["Status"] = "Updated" });
        foreach (var set in new[] { PermissionSetId(org, "SfCompanion_Marketer"), org.Data.Insert("PermissionSet", new Dictionary<string, object?> { ["Name"] = "Campaign_Editors", ["Label"] = "Campaign editors" }) })
        {
            org.Data.Insert("PermissionSetGroupComponent", new Dictionary<string, object?> { ["PermissionSetGroupId"] = group, ["PermissionSetId"] = set });
        }

        var aggregate = org.Data.Insert("PermissionSet", new Dictionary<string, object?> { ["Name"] = "X00ePG000000001", ["Label"] = "Campaign team" });
        org.Data.Insert("PermissionSetAssignment", new Dictionary<string, object?>
        {
            ["AssigneeId"] = UserId(org, "norole@demo.sfcompanion.test"), ["PermissionSetId"] = aggregate, ["PermissionSetGroupId"] = group,
        });
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        Assert.Equal("/console", await browser.SignInAsync("norole@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword));

        Assert.Equal(SfcRoles.Marketer, (await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct))!.Role);
    }

    private static string PermissionSetId(SalesforceEmulator org, string name) =>
        (string)org.Data.Query($"SELECT Id FROM PermissionSet WHERE Name = '{name}'")[0]["Id"]!;

    [Fact]
    public async Task A_user_with_no_permission_set_is_sent_back_with_no_role_and_no_session()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        var landing = await browser.SignInAsync("norole@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword);

        Assert.Equal("/console/signin?error=no-role", landing);
        Assert.DoesNotContain(browser.CallbackSetCookies, c => c.StartsWith(ConsoleAuth.CookieName + "=", StringComparison.Ordinal));
        Assert.Null(browser.Cookies.GetCookies(new Uri(host.BaseUrl + "/console"))[ConsoleAuth.CookieName]);
        using var probe = await browser.Http.GetAsync(SessionProbe, Ct);
        Assert.NotEqual(HttpStatusCode.OK, probe.StatusCode);
    }

    [Fact]
    public async Task Mapped_permission_set_names_come_from_the_settings()
    {
        await using var host = await StartAsync(h => h.With("Console:SalesforceSignIn:MarketerPermissionSet", "SfCompanion_Viewer")
            .With("Console:SalesforceSignIn:ViewerPermissionSet", "Campaign_Readers"));
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        await browser.SignInAsync("viewer@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword);

        Assert.Equal(SfcRoles.Marketer, (await browser.Http.GetFromJsonAsync<Session>(SessionProbe, Ct))!.Role);
    }

    [Fact]
    public async Task A_tampered_pkce_challenge_fails_the_sign_in()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        var landing = await browser.SignInAsync("admin@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword, tamper: authorize =>
        {
            var query = QueryHelpers.ParseQuery(authorize.Query).ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString(), StringComparer.Ordinal);
            query["code_challenge"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
            return new Uri(QueryHelpers.AddQueryString(authorize.GetLeftPart(UriPartial.Path), query));
        });

        Assert.Equal("/console/signin?error=failed", landing);
        Assert.Null(browser.Cookies.GetCookies(new Uri(host.BaseUrl + "/console"))[ConsoleAuth.CookieName]);
    }

    [Fact]
    public async Task Refusing_on_the_salesforce_page_is_denied()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        var landing = await browser.SignInAsync("admin@demo.sfcompanion.test", "", deny: true);

        Assert.Equal("/console/signin?error=denied", landing);
    }

    [Fact]
    public async Task A_callback_without_the_sign_in_cookie_fails_without_a_500()
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);
        using var forged = await browser.Http.GetAsync("/console/signin/salesforce/callback?code=abc&state=forged", Ct);

        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal("/console/signin?error=failed", forged.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("https://evil.example.com/console")]
    [InlineData("//evil.example.com/console")]
    [InlineData("/\\evil.example.com")]
    [InlineData("/api/keys")]
    [InlineData("/console/../api/keys")]
    public async Task A_return_url_outside_the_console_is_replaced_by_the_console(string returnUrl)
    {
        await using var host = await StartAsync();
        using var browser = new SalesforceSignInBrowser(host.BaseUrl);

        var landing = await browser.SignInAsync("admin@demo.sfcompanion.test", EmulatorOptions.DefaultUserPassword, returnUrl: returnUrl);

        Assert.Equal("/console", landing);
    }

    [Fact]
    public async Task When_disabled_the_start_path_answers_not_found_and_nothing_is_challenged()
    {
        await using var host = await StartAsync(h => h.With("Console:SalesforceSignIn:Enabled", "false"));

        using var response = await host.Anonymous.GetAsync("/console/signin/salesforce", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Console:SalesforceSignIn:Enabled", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
