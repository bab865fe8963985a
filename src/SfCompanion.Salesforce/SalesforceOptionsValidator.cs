using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SfCompanion.Salesforce;

/// <summary>Cross-field rules of <see cref="SalesforceOptions"/>; reports every problem at once.</summary>
public sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (!Uri.TryCreate(options.LoginUrl, UriKind.Absolute, out var login))
        {
            failures.Add($"Salesforce:LoginUrl '{options.LoginUrl}' is not an absolute URL (e.g. https://login.salesforce.com or https://acme.my.salesforce.com).");
        }
        else if (login.Scheme != Uri.UriSchemeHttps && !(login.Scheme == Uri.UriSchemeHttp && (login.IsLoopback || options.AllowInsecureHttp)))
        {
            failures.Add($"Salesforce:LoginUrl must use https (plain http is accepted for localhost, or with AllowInsecureHttp=true); got '{options.LoginUrl}'.");
        }
        else if (login.AbsolutePath.Length > 1 || !string.IsNullOrEmpty(login.Query))
        {
            failures.Add($"Salesforce:LoginUrl must be a base URL without a path (the client appends /services/oauth2/token); got '{options.LoginUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Salesforce:ClientId (the consumer key of the connected app) is required.");
        }

        switch (options.AuthFlow)
        {
            case SalesforceAuthFlow.JwtBearer:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    failures.Add("Salesforce:Username is required for the JwtBearer flow (the user the integration acts as).");
                }

                if (string.IsNullOrWhiteSpace(options.PrivateKeyPath))
                {
                    failures.Add("Salesforce:PrivateKeyPath is required for the JwtBearer flow (PEM or PFX with the key whose certificate is uploaded to the app).");
                }
                else if (!File.Exists(options.PrivateKeyPath))
                {
                    failures.Add($"Salesforce:PrivateKeyPath '{options.PrivateKeyPath}' does not exist.");
                }

                if (!string.IsNullOrEmpty(options.JwtAudience) && !Uri.TryCreate(options.JwtAudience, UriKind.Absolute, out _))
                {
                    failures.Add($"Salesforce:JwtAudience '{options.JwtAudience}' is not an absolute URL.");
                }

                break;
            case SalesforceAuthFlow.ClientCredentials:
                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                {
                    failures.Add("Salesforce:ClientSecret is required for the ClientCredentials flow.");
                }

                if (login is not null && IsGenericLoginHost(login))
                {
                    failures.Add($"Salesforce:LoginUrl must be the org's My Domain URL for the ClientCredentials flow ({login.Host} refuses it).");
                }

                break;
            default:
                failures.Add($"Salesforce:AuthFlow '{options.AuthFlow}' is not supported (JwtBearer or ClientCredentials).");
                break;
        }

        if (options.RequestTimeout > options.TotalRequestTimeout)
        {
            failures.Add("Salesforce:RequestTimeout must not exceed Salesforce:TotalRequestTimeout.");
        }

        if (options.BulkPollInitialDelay > options.BulkPollMaxDelay)
        {
            failures.Add("Salesforce:BulkPollInitialDelay must not exceed Salesforce:BulkPollMaxDelay.");
        }

        if (options.Budget is null)
        {
            failures.Add("Salesforce:Budget must not be null.");
        }
        else
        {
            // Nested objects are not covered by ValidateDataAnnotations.
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(options.Budget, new ValidationContext(options.Budget), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"Salesforce:Budget: {r.ErrorMessage}"));
            if (options.Budget.MaxRunPercentOfDailyLimit > options.Budget.StopAtUsedPercent)
            {
                failures.Add("Salesforce:Budget:MaxRunPercentOfDailyLimit cannot be larger than Salesforce:Budget:StopAtUsedPercent.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsGenericLoginHost(Uri url) =>
        url.Host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase)
        || url.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase);
}
