using System.Net;
using System.Text;

namespace SfCompanion.Emulator.Api;

/// <summary>The emulated org's HTML pages of the authorization code flow: the login form and the error page.</summary>
internal static class LoginPage
{
    private const string Style = "body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#181818}"
        + "label{display:block;margin-top:1rem;font-weight:600}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}"
        + "button{margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1rem;font-size:1rem}.error{color:#ba0517;font-weight:600}"
        + ".hint{margin-top:2rem;padding:.75rem;background:#f3f3f3;border-radius:.25rem}code{font-size:.95em}";

    public static IResult Form(AuthorizeRequest request, IEnumerable<EmulatorUser> users, string? username, string? error)
    {
        var html = new StringBuilder();
        Head(html, "Login | Salesforce emulator");
        html.Append("<main><h1>Log in to the emulated org</h1>");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\" id=\"error\">").Append(Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"/services/oauth2/authorize\">");
        foreach (var (name, value) in request.Fields())
        {
            html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(Encode(value)).Append("\">");
        }

        var describedBy = error is null ? "" : " aria-describedby=\"error\"";
        html.Append("<label for=\"username\">Username</label>")
            .Append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus value=\"")
            .Append(Encode(username ?? request.LoginHint)).Append('"').Append(describedBy).Append('>')
            .Append("<label for=\"password\">Password</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required").Append(describedBy).Append('>')
            .Append("<div><button type=\"submit\" name=\"action\" value=\"login\">Log In</button>")
            .Append("<button type=\"submit\" name=\"action\" value=\"deny\" formnovalidate>Deny</button></div></form>");
        html.Append("<section class=\"hint\" aria-labelledby=\"hint\"><h2 id=\"hint\">Demo org users</h2><ul>");
        foreach (var user in users)
        {
            html.Append("<li><code>").Append(Encode(user.Username)).Append("</code> — ")
                .Append(user.PermissionSets.Count == 0 ? "no permission set" : Encode(string.Join(", ", user.PermissionSets)))
                .Append(" — password <code>").Append(Encode(user.Password)).Append("</code></li>");
        }

        html.Append("</ul></section></main></body></html>");
        return Page(200, html);
    }

    /// <summary>An error that must not be sent to the redirect URI (unknown client, unregistered callback): shown, never redirected.</summary>
    public static IResult Error(string error, string description)
    {
        var html = new StringBuilder();
        Head(html, "Error | Salesforce emulator");
        html.Append("<main><h1>Remote Access Error</h1><p role=\"alert\">error=").Append(Encode(error))
            .Append("<br>error_description=").Append(Encode(description)).Append("</p></main></body></html>");
        return Page(400, html);
    }

    private static void Head(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static HtmlPage Page(int status, StringBuilder html) => new HtmlPage(status, Encoding.UTF8.GetBytes(html.ToString()));

    private sealed class HtmlPage(int status, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers["X-Frame-Options"] = "DENY";
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.ContentLength = body.Length;
            await httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
