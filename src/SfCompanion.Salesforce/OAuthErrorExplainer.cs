using System.Net;

namespace SfCompanion.Salesforce;

/// <summary>Maps OAuth error bodies to the misconfiguration that usually causes them.</summary>
public static class OAuthErrorExplainer
{
    public static string Explain(SalesforceOptions options, string? error, string? description, HttpStatusCode? status = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = (description ?? "").ToLowerInvariant();
        var jwt = options.AuthFlow == SalesforceAuthFlow.JwtBearer;
        switch (error)
        {
            case "invalid_client_id":
                return $"The consumer key (Salesforce:ClientId) is not known to {options.LoginUrl}. Check it was copied from the app's consumer details, that the app lives in this org (production vs sandbox), and allow up to 10 minutes after creating or changing the app.";
            case "invalid_client" when d.Contains("credentials", StringComparison.Ordinal) || d.Contains("secret", StringComparison.Ordinal):
                return "The consumer secret (Salesforce:ClientSecret) does not match the consumer key. Copy both again from the app's consumer details.";
            case "invalid_client":
                return "Salesforce does not accept this client. Check Salesforce:ClientId and, for client credentials, Salesforce:ClientSecret.";
            case "unsupported_grant_type":
                return jwt
                    ? "The app does not allow the JWT bearer flow. Enable OAuth with 'Use digital signatures' and upload the certificate of the key in Salesforce:PrivateKeyPath."
                    : "The app does not allow the client credentials flow. Enable 'Client Credentials Flow' on the app and set its Run As user.";
            case "invalid_request" when d.Contains("not supported on this domain", StringComparison.Ordinal):
                return "The client credentials flow only works against the org's My Domain. Set Salesforce:LoginUrl to https://<mydomain>.my.salesforce.com.";
            case "invalid_grant" when d.Contains("audience", StringComparison.Ordinal):
                return $"The JWT audience '{SalesforceTokenProvider.ResolveAudience(options)}' is wrong: use https://login.salesforce.com for production, https://test.salesforce.com for sandboxes (set Salesforce:JwtAudience to override).";
            case "invalid_grant" when d.Contains("hasn't approved", StringComparison.Ordinal) || d.Contains("not approved", StringComparison.Ordinal) || d.Contains("not admin approved", StringComparison.Ordinal):
                return $"User '{options.Username}' is not pre-authorized for the app. Set 'Permitted Users' to 'Admin approved users are pre-authorized' and assign the user a profile or permission set that is allowed to use the app.";
            case "invalid_grant" when d.Contains("expired", StringComparison.Ordinal) || d.Contains("invalid assertion", StringComparison.Ordinal):
                return "The JWT assertion was refused as expired or not yet valid. This server's clock is probably off; synchronise it (NTP). A key that does not match the uploaded certificate can also cause this.";
            case "invalid_grant" when d.Contains("no client credentials user", StringComparison.Ordinal):
                return "The app has no Run As user for the client credentials flow. Choose one in the app's OAuth policies.";
            case "invalid_grant" when d.Contains("user", StringComparison.Ordinal) && (d.Contains("inactive", StringComparison.Ordinal) || d.Contains("frozen", StringComparison.Ordinal)):
                return $"User '{options.Username}' is inactive or frozen.";
            case "invalid_grant" when d.Contains("authentication failure", StringComparison.Ordinal):
                return jwt
                    ? $"Salesforce could not match the assertion: check Salesforce:Username ('{options.Username}') exists in this org (sandbox usernames carry a suffix), and that the certificate uploaded to the app belongs to the key in Salesforce:PrivateKeyPath."
                    : "The client credentials were refused. Check the consumer key, secret and the app's Run As user.";
            case "invalid_grant" when d.Contains("ip", StringComparison.Ordinal) && d.Contains("restrict", StringComparison.Ordinal):
                return "The login is blocked by IP restrictions. Relax IP restrictions on the app or add this server's address to the trusted ranges.";
            case "invalid_grant":
                return jwt
                    ? "The assertion was refused. Usual causes: wrong key (certificate on the app does not match Salesforce:PrivateKeyPath), wrong audience, user not pre-authorized, or clock skew."
                    : "The grant was refused. Check the app's client credentials settings and Run As user.";
            default:
                if (status is HttpStatusCode.NotFound)
                {
                    return $"{options.LoginUrl} has no OAuth token endpoint. Check Salesforce:LoginUrl.";
                }

                return status is >= HttpStatusCode.InternalServerError
                    ? "The Salesforce login server is unavailable; try again later."
                    : "Check the connected app's OAuth settings and the Salesforce section of the configuration.";
        }
    }
}
