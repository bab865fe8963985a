using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Admin;

/// <summary>API keys: the bootstrap admin key and how often "last used" is recorded.</summary>
public sealed class AdminOptions : ISectionOptions
{
    public static string SectionName => "Admin";

    /// <summary>
    /// Used only at first start, when no key is stored: this value becomes the first admin key. When empty, a key
    /// is generated and printed once on the console. Put it in secrets.json or an environment variable, not in appsettings.
    /// </summary>
    [Secret]
    [MinLength(32, ErrorMessage = "must be at least 32 characters (use a random value, e.g. `openssl rand -base64 32`)")]
    public string? BootstrapKey { get; set; }

    /// <summary>A key's "last used" time is written at most once per this many seconds, so reads don't each cost a write.</summary>
    [Range(1, 86_400)]
    public int LastUsedUpdateSeconds { get; set; } = 60;
}
