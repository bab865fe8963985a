using System.ComponentModel.DataAnnotations;
using SfCompanion.Hosting;

namespace SfCompanion.Recipients;

/// <summary>One signing key for recipient tokens.</summary>
public sealed class TokenKey
{
    /// <summary>Short id carried in every token, so older keys keep verifying after a rotation.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{1,8}$", ErrorMessage = "must be 1-8 letters or digits")]
    public string Id { get; set; } = "";

    /// <summary>The secret, base64 (at least 32 bytes once decoded).</summary>
    [Required]
    [Secret]
    [MinLength(44, ErrorMessage = "must be at least 32 random bytes, base64-encoded (44 characters), e.g. from 'openssl rand -base64 32'")]
    public string Secret { get; set; } = "";
}

/// <summary>
/// Keys signing the tokens in tracked links and consent pages. With no keys configured, one is generated at
/// first start and kept in the store, so links keep working across restarts.
/// </summary>
public sealed class RecipientTokenOptions : ISectionOptions
{
    public static string SectionName => "Tokens";

    /// <summary>Every key that may verify a token; the newest is listed in <see cref="ActiveKeyId"/>.</summary>
    public List<TokenKey> Keys { get; set; } = [];

    /// <summary>Key that signs new tokens; must be one of <see cref="Keys"/>. Empty = the first key.</summary>
    public string? ActiveKeyId { get; set; }
}

internal sealed class RecipientTokenOptionsRules : IOptionsRules<RecipientTokenOptions>
{
    public IEnumerable<string> Check(RecipientTokenOptions options)
    {
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var key = options.Keys[i];
            var bytes = new byte[key.Secret.Length];
            if (!Convert.TryFromBase64String(key.Secret, bytes, out var length))
            {
                yield return $"Tokens:Keys:{i}:Secret = '(hidden)': is not valid base64; generate one with 'openssl rand -base64 32'";
            }
            else if (length < 32)
            {
                yield return $"Tokens:Keys:{i}:Secret = '(hidden)': must decode to at least 32 bytes; generate one with 'openssl rand -base64 32'";
            }

            // Data annotations do not descend into list items.
            if (string.IsNullOrEmpty(key.Id) || key.Id.Length > 8 || !key.Id.All(char.IsAsciiLetterOrDigit))
            {
                yield return $"Tokens:Keys:{i}:Id = '{key.Id}': must be 1-8 letters or digits";
            }
        }

        if (options.Keys.GroupBy(k => k.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            yield return $"Tokens:Keys: the id '{duplicate.Key}' is used twice; each key needs its own id";
        }

        if (!string.IsNullOrEmpty(options.ActiveKeyId) && options.Keys.All(k => k.Id != options.ActiveKeyId))
        {
            yield return $"Tokens:ActiveKeyId = '{options.ActiveKeyId}': is not the id of a key in Tokens:Keys";
        }
    }
}
