using System.Net;
using Microsoft.AspNetCore.WebUtilities;

namespace SfCompanion.IntegrationTests.WebConsole;

/// <summary>
/// A browser as far as the Salesforce sign-in needs one: follows redirects itself (between the service and the emulated
/// org), keeps cookies, and fills in the emulator's login form.
/// </summary>
internal sealed class SalesforceSignInBrowser : IDisposable
{
    private readonly HttpClient _http;

    public SalesforceSignInBrowser(string serviceUrl)
    {
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies })
        {
            BaseAddress = new Uri(serviceUrl),
        };
    }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The <c>Set-Cookie</c> headers of the service's answer to the callback.</summary>
    public IReadOnlyList<string> CallbackSetCookies { get; private set; } = [];

    public HttpClient Http => _http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Starts the sign-in, logs in on the emulator's page as <paramref name="username"/> (or refuses when
    /// <paramref name="deny"/>), and returns where the service sent the browser after its callback.
    /// <paramref name="tamper"/> may change the authorize URL before the browser follows it.
    /// </summary>
    public async Task<string> SignInAsync(string username, string password, string? returnUrl = null, Func<Uri, Uri>? tamper = null, bool deny = false)
    {
        var start = "/console/signin/salesforce" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var challenge = await _http.GetAsync(start, Ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.True(authorize.IsAbsoluteUri, authorize.ToString());
        Assert.EndsWith("/services/oauth2/authorize", authorize.AbsolutePath, StringComparison.Ordinal);
        authorize = tamper?.Invoke(authorize) ?? authorize;

        using var page = await _http.GetAsync(authorize, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<label for=\"username\">", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The login form posts back the authorize parameters as hidden fields, with the credentials.
        var form = QueryHelpers.ParseQuery(authorize.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        form["username"] = username;
        form["password"] = password;
        form["action"] = deny ? "deny" : "login";
        using var login = await _http.PostAsync(new Uri(authorize.GetLeftPart(UriPartial.Path)), new FormUrlEncodedContent(form), Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var callback = login.Headers.Location!;
        Assert.StartsWith(_http.BaseAddress!.ToString().TrimEnd('/') + "/console/signin/salesforce/callback?", callback.ToString(), StringComparison.Ordinal);

        using var back = await _http.GetAsync(callback, Ct);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        CallbackSetCookies = back.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [];
        return back.Headers.Location!.ToString();
    }

    public void Dispose() => _http.Dispose();
}
