using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfCompanion.Hosting;
using SfCompanion.WebConsole;

namespace SfCompanion.Tests.WebConsole;

/// <summary>The Salesforce sign-in's settings: each problem named with its key and value, defaults from the Salesforce section.</summary>
public sealed class ConsoleSalesforceSignInOptionsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("sfc-signin-options-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private WebApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings.Append(("Storage:Sqlite:Path", Path.Combine(_data, "s.db")))
            .Select(s => new KeyValuePair<string, string?>(s.Item1, s.Item2)));
        return builder;
    }

    private List<string> Problems(params (string Key, string Value)[] settings)
    {
        var builder = Builder(settings);
        builder.AddConsoleSalesforceSignIn();
        using var provider = builder.Services.BuildServiceProvider();
        return [.. provider.RunStartupChecks()];
    }

    [Fact]
    public void Disabled_by_default_and_then_nothing_is_required()
    {
        Assert.Empty(Problems());
    }

    [Fact]
    public void Enabled_without_any_client_or_salesforce_connection_names_both_keys()
    {
        var problems = Problems(("Console:SalesforceSignIn:Enabled", "true"));

        Assert.Contains(problems, p => p.StartsWith("Console:SalesforceSignIn:ClientId = '(empty)'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Salesforce:ClientId = '(empty)'", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_bad_value_is_named_with_its_key_and_value()
    {
        var problems = Problems(
            ("Console:SalesforceSignIn:Enabled", "true"),
            ("Salesforce:ClientId", "integration-app"),
            ("Console:SalesforceSignIn:LoginUrl", "http://login.example.com"),
            ("Console:SalesforceSignIn:Scopes", "api refresh_token"),
            ("Console:SalesforceSignIn:AdminPermissionSet", "Admins; DELETE"),
            ("Console:SalesforceSignIn:ViewerPermissionSet", "SfCompanion_Marketer"));

        Assert.Contains(problems, p => p.StartsWith("Console:SalesforceSignIn:LoginUrl = 'http://login.example.com': ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Console:SalesforceSignIn:Scopes = 'api refresh_token': must include 'openid'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Console:SalesforceSignIn:AdminPermissionSet = 'Admins; DELETE': must be a permission set API name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("must be three different permission sets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_and_login_url_default_to_the_salesforce_section()
    {
        var builder = Builder(
            ("Console:SalesforceSignIn:Enabled", "true"),
            ("Salesforce:ClientId", "integration-app"),
            ("Salesforce:ClientSecret", "s3cret"),
            ("Salesforce:LoginUrl", "https://acme.my.salesforce.com/"));
        builder.AddConsoleSalesforceSignIn();
        builder.AddConsoleSalesforceSignIn();
        await using var provider = builder.Services.BuildServiceProvider();

        var oauth = provider.GetRequiredService<IOptionsMonitor<SalesforceSignInOAuthOptions>>().Get(ConsoleAuth.SalesforceScheme);

        Assert.Empty(provider.RunStartupChecks());
        Assert.Equal("integration-app", oauth.ClientId);
        Assert.Equal("s3cret", oauth.ClientSecret);
        Assert.Equal("https://acme.my.salesforce.com/services/oauth2/authorize", oauth.AuthorizationEndpoint);
        Assert.Equal("https://acme.my.salesforce.com/services/oauth2/token", oauth.TokenEndpoint);
        Assert.Equal("https://acme.my.salesforce.com/services/oauth2/userinfo", oauth.UserInformationEndpoint);
        Assert.True(oauth.UsePkce);
        Assert.False(oauth.SaveTokens);
        Assert.Equal(ConsoleAuth.Scheme, oauth.SignInScheme);
        Assert.Equal(ConsoleAuth.SalesforceCallbackPath, oauth.CallbackPath.Value);
        Assert.Equal(["openid"], oauth.Scope);
        Assert.NotNull(await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(ConsoleAuth.SalesforceScheme));
    }

    [Fact]
    public void An_app_of_its_own_without_a_secret_sends_none()
    {
        var builder = Builder(
            ("Console:SalesforceSignIn:Enabled", "true"),
            ("Console:SalesforceSignIn:ClientId", "console-app"),
            ("Salesforce:ClientId", "integration-app"),
            ("Salesforce:ClientSecret", "integration-secret"));
        builder.AddConsoleSalesforceSignIn();
        using var provider = builder.Services.BuildServiceProvider();

        var oauth = provider.GetRequiredService<IOptionsMonitor<SalesforceSignInOAuthOptions>>().Get(ConsoleAuth.SalesforceScheme);

        Assert.Equal("console-app", oauth.ClientId);
        Assert.Equal("", oauth.ClientSecret);
        oauth.Validate();
    }

    [Theory]
    [InlineData("/console", true)]
    [InlineData("/console/jobs?tab=runs", true)]
    [InlineData("/console?x=1", true)]
    [InlineData("", false)]
    [InlineData("/consoles", false)]
    [InlineData("/api/keys", false)]
    [InlineData("https://evil.example.com/console", false)]
    [InlineData("//evil.example.com/console", false)]
    [InlineData("/console//evil.example.com", false)]
    [InlineData("/\\evil.example.com", false)]
    [InlineData("/console/\\evil", false)]
    [InlineData("/console/../api", false)]
    [InlineData("/console/%2e%2e/api", false)]
    [InlineData("/console/%2F%2Fevil", false)]
    [InlineData("/console/\r\nSet-Cookie:x", false)]
    public void Only_console_paths_are_return_urls(string returnUrl, bool allowed)
    {
        Assert.Equal(allowed, ConsoleReturnUrl.IsConsolePath(returnUrl));
        Assert.Equal(allowed ? returnUrl : ConsoleAuth.BasePath, ConsoleReturnUrl.Safe(returnUrl));
    }
}
