using System.Text.RegularExpressions;

namespace SfCompanion.Jobs;

/// <summary>The registered jobs, by name.</summary>
public sealed partial class JobCatalog
{
    private readonly Dictionary<string, JobDefinition> _byName;

    public JobCatalog(IEnumerable<JobDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        _byName = new Dictionary<string, JobDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_byName.TryAdd(definition.Name, definition))
            {
                throw new InvalidOperationException($"Two jobs are registered with the name '{definition.Name}'.");
            }
        }

        Jobs = [.. _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<JobDefinition> Jobs { get; }

    public JobDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Lower-case letters, digits and dashes: safe in URLs, lease names and run ids.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
