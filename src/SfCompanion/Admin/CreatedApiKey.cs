namespace SfCompanion.Admin;

/// <summary>A key just created: <see cref="Secret"/> is shown to the caller once and cannot be read again.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
