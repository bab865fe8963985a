using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using SfCompanion.Salesforce;

namespace SfCompanion.Hosting;

/// <summary>
/// Hides the configured secret values, and secrets issued at run time (API keys, Salesforce tokens, bearer tokens), in
/// text the service shows (start-up problems, the start-up error line, health answers, problem details) and in every
/// log line (<see cref="RedactingLoggerFactory"/>). A setting is secret when the option property it binds to is marked
/// <see cref="SecretAttribute"/> (or <c>[DataType(DataType.Password)]</c>): every such property name in SfCompanion's
/// assemblies, under any section, so a new secret option is hidden as soon as it is marked. Of a connection string, only
/// the <c>password=</c> part is hidden (the address stays readable).
/// </summary>
public sealed partial class SecretRedactor
{
    /// <summary>What a hidden value is replaced with.</summary>
    public const string Hidden = "(hidden)";

    /// <summary>Shorter values are not searched for in text (they would hide ordinary words); options validation hides them anyway.</summary>
    private const int MinimumLength = 6;

    private static readonly Lazy<IReadOnlySet<string>> Names = new(FindSecretNames);

    private readonly string[] _values;

    public SecretRedactor(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrEmpty(value) || !IsSecretKey(key))
            {
                continue;
            }

            // A connection string is a secret for its password only: its address stays readable in messages.
            var passwords = PasswordPattern().Matches(value);
            if (passwords.Count == 0)
            {
                values.Add(value);
            }

            foreach (Match password in passwords)
            {
                values.Add(password.Groups["value"].Value.Trim());
            }
        }

        // Longest first, so a value that contains another is hidden whole.
        _values = values.Where(v => v.Length >= MinimumLength).OrderByDescending(v => v.Length).ToArray();
    }

    /// <summary>Property names marked secret in SfCompanion's options (e.g. <c>BootstrapKey</c>, <c>ClientSecret</c>).</summary>
    public static IReadOnlySet<string> SecretNames => Names.Value;

    /// <summary>True when the configuration key (<c>Section:…:Name</c>) binds to a secret option.</summary>
    public static bool IsSecretKey(string key) => SecretNames.Contains(key[(key.LastIndexOf(':') + 1)..]);

    /// <summary><paramref name="text"/> with every configured secret value replaced by <see cref="Hidden"/>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var value in _values)
        {
            text = text.Replace(value, Hidden, StringComparison.Ordinal);
        }

        return IssuedPattern().Replace(text, m => m.Groups["keep"].Value + Hidden);
    }

    private static HashSet<string> FindSecretNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in new[] { typeof(SecretRedactor).Assembly, typeof(SalesforceOptions).Assembly })
        {
            foreach (var type in assembly.GetTypes())
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    if (SecretAttribute.IsSecret(property))
                    {
                        names.Add(property.Name);
                    }
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Secrets issued while the service runs, which no configuration lists: SfCompanion API keys (lower-case <c>sfc_</c>
    /// and 43 characters; the short prefix shown in key lists and field names such as <c>Sfc_…__c</c> stay readable),
    /// Salesforce session ids and access tokens (<c>00D…!…</c>), JSON Web Tokens, and whatever follows <c>Bearer</c>.
    /// </summary>
    [GeneratedRegex(@"(?<keep>\bsfc_)[A-Za-z0-9_\-]{40,}|(?<keep>\b00D[0-9A-Za-z]{12,15}!)[0-9A-Za-z._\-]{16,}|(?<keep>)\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*|(?<keep>\b[Bb]earer\s+)[A-Za-z0-9._~+/=!\-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex IssuedPattern();

    [GeneratedRegex("password\\s*=\\s*(?<value>[^,;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();
}
