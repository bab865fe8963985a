using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using SfCompanion.Admin;

namespace SfCompanion.WebConsole.Components;

/// <summary>
/// Base of every console page: the request, the signed-in person and their role, the texts in their language and the
/// clock. Actions check the role here, on the server (<see cref="Forbid"/>), whatever the page shows.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [Inject]
    protected ConsoleText L { get; set; } = default!;

    [Inject]
    protected TimeProvider Time { get; set; } = default!;

    protected ClaimsPrincipal User => HttpContext.User;

    /// <summary>admin, marketer or viewer (empty when nobody is signed in).</summary>
    protected string Role => User.FindFirstValue(ClaimTypes.Role) ?? string.Empty;

    protected DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Whether the signed-in person has <paramref name="role"/> or a higher one.</summary>
    protected bool Can(string role) => SfcRoles.Satisfying(role).Any(User.IsInRole);

    /// <summary>
    /// Refuses an action to whoever lacks <paramref name="role"/>: answers 403 and returns true (the caller stops).
    /// Posting a form directly changes nothing for a role the page would not have offered it to.
    /// </summary>
    protected bool Forbid(string role)
    {
        if (Can(role))
        {
            return false;
        }

        HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        return true;
    }

    /// <summary>The current page's path and query, for returnUrl and language links.</summary>
    protected string Here => HttpContext.Request.Path + HttpContext.Request.QueryString;
}
