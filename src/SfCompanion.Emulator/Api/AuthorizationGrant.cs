namespace SfCompanion.Emulator.Api;

/// <summary>What an authorization code stands for: who signed in, for which client, callback, PKCE challenge and scopes.</summary>
internal sealed record AuthorizationGrant(string ClientId, string RedirectUri, string? CodeChallenge, string UserId, string Scope, DateTimeOffset Expires);
