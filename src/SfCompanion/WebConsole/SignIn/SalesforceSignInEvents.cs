using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth;
using SfCompanion.Salesforce;

namespace SfCompanion.WebConsole;

/// <summary>
/// What the console does around the OAuth exchange: reads who signed in (userinfo) and their role (permission sets),
/// sets the session's claims, and sends every refusal or failure back to the sign-in page with its error code.
/// </summary>
internal sealed partial class SalesforceSignInEvents(IServiceProvider services, ILogger<SalesforceSignInEvents> logger) : OAuthEvents
{
    public override async Task CreatingTicket(OAuthCreatingTicketContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", context.AccessToken);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await context.Backchannel.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new AuthenticationFailureException($"The userinfo endpoint answered {(int)response.StatusCode}.");
        }

        using var userinfo = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var user = userinfo.RootElement;
        var userId = Text(user, "user_id");
        var orgId = Text(user, "organization_id");
        if (!SalesforceIds.IsWellFormed(userId) || !userId.StartsWith("005", StringComparison.Ordinal) || !SalesforceIds.IsWellFormed(orgId))
        {
            throw new AuthenticationFailureException("The userinfo answer has no valid user_id and organization_id.");
        }

        var lookup = Hosting.SalesforceClientRequired.Create<ConsoleRoleLookup>(services);
        var role = await lookup.RoleOfAsync(userId, ct);
        if (role is null)
        {
            LogNoRole(logger, userId, orgId);
            throw new ConsoleSignInRefusedException($"Salesforce user {userId} has none of the console's permission sets.");
        }

        var name = Text(user, "name") ?? Text(user, "preferred_username") ?? userId;
        // The session is a console session like the API-key one: an identity of the console's scheme with the contract's
        // claims only (nothing else from the OAuth exchange).
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId),
                new Claim(ClaimTypes.Name, name),
                new Claim(ClaimTypes.Role, role),
                new Claim(ConsoleAuth.SignInMethodClaim, ConsoleAuth.ViaSalesforce),
                new Claim(ConsoleAuth.OrgIdClaim, orgId),
            ],
            ConsoleAuth.Scheme,
            ClaimTypes.Name,
            ClaimTypes.Role));
        LogSignedIn(logger, userId, orgId, role);
    }

    public override Task AccessDenied(AccessDeniedContext context)
    {
        LogDenied(logger);
        context.Response.Redirect(SignInPage(context.Request, ConsoleAuth.Errors.Denied));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        string code;
        if (context.Failure is ConsoleSignInRefusedException)
        {
            code = ConsoleAuth.Errors.NoRole;
        }
        else if (context.Request.Query.ContainsKey("error"))
        {
            // Salesforce sent the user back with an OAuth error (refused consent, an app setting…).
            code = ConsoleAuth.Errors.Denied;
            LogRemoteError(logger, context.Request.Query["error"].ToString(), context.Failure?.Message);
        }
        else
        {
            code = ConsoleAuth.Errors.Failed;
            LogFailed(logger, context.Failure);
        }

        context.Response.Redirect(SignInPage(context.Request, code));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static string SignInPage(HttpRequest request, string error) => $"{request.PathBase}{ConsoleAuth.SignInPath}?error={error}";

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Console sign-in with Salesforce: user {UserId} of org {OrgId} signed in as {Role}")]
    private static partial void LogSignedIn(ILogger logger, string userId, string orgId, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in with Salesforce refused: user {UserId} of org {OrgId} has none of the console's permission sets")]
    private static partial void LogNoRole(ILogger logger, string userId, string orgId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console sign-in with Salesforce: access denied on Salesforce's page")]
    private static partial void LogDenied(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console sign-in with Salesforce: Salesforce answered {Error} ({Failure})")]
    private static partial void LogRemoteError(ILogger logger, string error, string? failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console sign-in with Salesforce failed")]
    private static partial void LogFailed(ILogger logger, Exception? exception);
}
