using Microsoft.AspNetCore.Authentication.OAuth;

namespace SfCompanion.WebConsole;

/// <summary>
/// The OAuth handler's options for the Salesforce sign-in. Unlike <see cref="OAuthOptions"/>, the client secret may be
/// empty: an External Client App can let the web server flow run on PKCE alone, and then no secret is sent.
/// </summary>
public sealed class SalesforceSignInOAuthOptions : OAuthOptions
{
    public override void Validate()
    {
        if (string.IsNullOrEmpty(ClientId))
        {
            throw new ArgumentException("The Salesforce sign-in needs a client id (Console:SalesforceSignIn:ClientId or Salesforce:ClientId).", nameof(ClientId));
        }

        if (string.IsNullOrEmpty(AuthorizationEndpoint) || string.IsNullOrEmpty(TokenEndpoint) || string.IsNullOrEmpty(UserInformationEndpoint))
        {
            throw new ArgumentException("The Salesforce sign-in needs its authorize, token and userinfo endpoints (Console:SalesforceSignIn:LoginUrl).", nameof(AuthorizationEndpoint));
        }

        if (!CallbackPath.HasValue || string.IsNullOrEmpty(SignInScheme))
        {
            throw new ArgumentException("The Salesforce sign-in needs its callback path and sign-in scheme.", nameof(CallbackPath));
        }
    }
}
