using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;

namespace SfCompanion.WebConsole;

/// <summary>
/// ASP.NET Core's OAuth handler, except that the code exchange leaves the client secret out when none is configured
/// (the PKCE verifier is always sent).
/// </summary>
internal sealed class SalesforceSignInHandler(IOptionsMonitor<SalesforceSignInOAuthOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : OAuthHandler<SalesforceSignInOAuthOptions>(options, logger, encoder)
{
    protected override async Task<OAuthTokenResponse> ExchangeCodeAsync(OAuthCodeExchangeContext context)
    {
        if (!string.IsNullOrEmpty(Options.ClientSecret))
        {
            return await base.ExchangeCodeAsync(context);
        }

        var form = new Dictionary<string, string>
        {
            ["client_id"] = Options.ClientId,
            ["redirect_uri"] = context.RedirectUri,
            ["code"] = context.Code,
            ["grant_type"] = "authorization_code",
        };
        if (context.Properties.Items.TryGetValue(OAuthConstants.CodeVerifierKey, out var verifier) && verifier is not null)
        {
            form[OAuthConstants.CodeVerifierKey] = verifier;
            context.Properties.Items.Remove(OAuthConstants.CodeVerifierKey);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Options.TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Backchannel.SendAsync(request, Context.RequestAborted);
        var body = await response.Content.ReadAsStringAsync(Context.RequestAborted);
        if (response.IsSuccessStatusCode)
        {
            return OAuthTokenResponse.Success(JsonDocument.Parse(body));
        }

        // Salesforce's error body names the cause (invalid_grant, invalid code verifier…); it holds no secret.
        var error = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(body.StartsWith('{') ? body : "{}");
        var description = error is not null && error.TryGetValue("error", out var e) ? $"{e}: {(error.TryGetValue("error_description", out var d) ? d.ToString() : "")}" : "no OAuth error in the body";
        return OAuthTokenResponse.Failed(new AuthenticationFailureException(
            string.Create(CultureInfo.InvariantCulture, $"OAuth token endpoint failure: status {(int)response.StatusCode}, {description}")));
    }
}
