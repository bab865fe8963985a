namespace SfCompanion.WebConsole;

/// <summary>The Salesforce sign-in's settings once the empty ones take the <c>Salesforce</c> section's values.</summary>
internal sealed record ConsoleSalesforceSignInSettings(string ClientId, string? ClientSecret, string LoginUrl, bool AllowInsecureHttp)
{
    public const string DefaultLoginUrl = "https://login.salesforce.com";

    public string AuthorizationEndpoint => LoginUrl + "/services/oauth2/authorize";

    public string TokenEndpoint => LoginUrl + "/services/oauth2/token";

    public string UserInformationEndpoint => LoginUrl + "/services/oauth2/userinfo";

    public static ConsoleSalesforceSignInSettings Resolve(ConsoleSalesforceSignInOptions options, IConfiguration configuration)
    {
        var ownClient = !string.IsNullOrWhiteSpace(options.ClientId);
        var clientId = ownClient ? options.ClientId! : configuration["Salesforce:ClientId"] ?? "";
        var secret = !string.IsNullOrEmpty(options.ClientSecret) ? options.ClientSecret : ownClient ? null : configuration["Salesforce:ClientSecret"];
        var login = !string.IsNullOrWhiteSpace(options.LoginUrl) ? options.LoginUrl! : configuration["Salesforce:LoginUrl"] is { Length: > 0 } l ? l : DefaultLoginUrl;
        var insecure = bool.TryParse(configuration["Salesforce:AllowInsecureHttp"], out var allow) && allow;
        return new(clientId.Trim(), string.IsNullOrEmpty(secret) ? null : secret, login.Trim().TrimEnd('/'), insecure);
    }
}
