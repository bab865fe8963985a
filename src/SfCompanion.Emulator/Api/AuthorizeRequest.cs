namespace SfCompanion.Emulator.Api;

/// <summary>The parameters of an authorize request, read from the query string (GET) or from the login form (POST).</summary>
internal sealed record AuthorizeRequest(
    string ResponseType,
    string ClientId,
    string RedirectUri,
    string State,
    string CodeChallenge,
    string CodeChallengeMethod,
    string Scope,
    string LoginHint)
{
    public static AuthorizeRequest From(Func<string, string> get) => new(
        get("response_type"), get("client_id"), get("redirect_uri"), get("state"), get("code_challenge"), get("code_challenge_method"), get("scope"), get("login_hint"));

    /// <summary>The hidden fields the login form posts back.</summary>
    public IEnumerable<(string Name, string Value)> Fields()
    {
        yield return ("response_type", ResponseType);
        yield return ("client_id", ClientId);
        yield return ("redirect_uri", RedirectUri);
        yield return ("state", State);
        yield return ("code_challenge", CodeChallenge);
        yield return ("code_challenge_method", CodeChallengeMethod);
        yield return ("scope", Scope);
    }
}
