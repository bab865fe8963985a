namespace SfCompanion.WebConsole;

/// <summary>Where a sign-in may send the user back to: a path of the console on this site, nothing else.</summary>
public static class ConsoleReturnUrl
{
    /// <summary><paramref name="returnUrl"/> when it is a console path, otherwise <see cref="ConsoleAuth.BasePath"/>.</summary>
    public static string Safe(string? returnUrl) => IsConsolePath(returnUrl) ? returnUrl : ConsoleAuth.BasePath;

    /// <summary>
    /// True for <c>/console</c>, <c>/console/…</c> and <c>/console?…</c>: no scheme or host (<c>//evil</c>, <c>/\evil</c>),
    /// no dot segments (<c>/console/../x</c>, also percent-encoded), no control characters, at most 2,048 characters.
    /// </summary>
    public static bool IsConsolePath([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048)
        {
            return false;
        }

        var b = ConsoleAuth.BasePath;
        if (!(returnUrl == b || returnUrl.StartsWith(b + "/", StringComparison.Ordinal) || returnUrl.StartsWith(b + "?", StringComparison.Ordinal)
            || returnUrl.StartsWith(b + "#", StringComparison.Ordinal)))
        {
            return false;
        }

        var path = returnUrl.Split('?', '#')[0];
        return !returnUrl.Any(c => char.IsControl(c) || c == '\\')
            && !path.Contains("//", StringComparison.Ordinal)
            && !path.Split('/').Any(segment => segment is "." or ".." || segment.Contains("%2e", StringComparison.OrdinalIgnoreCase) || segment.Contains("%2f", StringComparison.OrdinalIgnoreCase) || segment.Contains("%5c", StringComparison.OrdinalIgnoreCase));
    }
}
